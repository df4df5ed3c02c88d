// End-to-end test of the ooc MCP server with the official MCP TypeScript SDK clients.
//   node tests/sdk/e2e.mjs <path to ooc>
// Part 1: @modelcontextprotocol/sdk 1.x (legacy initialize, 2025-11-25). listTools compiles every
// outputSchema with ajv; callTool validates structuredContent against it and throws on mismatch.
// Part 2: @modelcontextprotocol/client 2.x with versionNegotiation 'auto' (server/discover probe).
// Both parts also list and read resources (the primer and a segment through the template), list
// the templates, get the resume and checkpoint prompts and complete a project id and a segment id.
// Part 3 (sdk 1.x): a client that declares roots and answers roots/list with a temp directory; the
// default project then comes from the root's name.
// Every server gets a temp store and a temp HOME; prints "N passed, M failed", exits 1 on failure.
import { mkdtempSync, rmSync } from "node:fs";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ListRootsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { Client as ClientV2 } from "@modelcontextprotocol/client";
import { StdioClientTransport as StdioClientTransportV2 } from "@modelcontextprotocol/client/stdio";

const binary = process.argv[2];
if (!binary) {
  console.error("usage: node e2e.mjs <path to ooc>");
  process.exit(2);
}

const TOOLS = [
  "context_delete",
  "context_edit",
  "context_get_working_set",
  "context_list_projects",
  "context_primer",
  "context_retrieve_stashed",
  "context_search_stashed",
  "context_stash",
  "context_store",
];
const PROJECT = "sdk-e2e";
const TEXT = "The flux capacitor config lives in tools/flux.toml; we decided to keep 1.21 gigawatts.";

let passed = 0;
let failed = 0;

function check(name, condition, detail = "") {
  if (condition) {
    passed++;
  } else {
    failed++;
    console.error(`FAIL: ${name}${detail ? `: ${detail}` : ""}`);
  }
}

async function step(name, fn) {
  try {
    await fn();
  } catch (error) {
    failed++;
    console.error(`FAIL: ${name}: threw ${error?.stack ?? error}`);
  }
}

const home = mkdtempSync(join(tmpdir(), "ooc-sdk-home-"));
const store = mkdtempSync(join(tmpdir(), "ooc-sdk-store-"));
const serverParams = {
  command: binary,
  args: [],
  env: {
    OUT_OF_CONTEXT_STORAGE_PATH: store,
    OUT_OF_CONTEXT_SYNC: "never",
    OUT_OF_CONTEXT_PROJECT: PROJECT,
    HOME: home,
    PATH: process.env.PATH ?? "",
  },
  stderr: "pipe",  // server logs stay out of the test output unless something fails
};

async function connectV1() {
  const client = new Client({ name: "ooc-sdk-e2e", version: "1.0.0" });
  const transport = new StdioClientTransport(serverParams);
  let stderr = "";
  transport.stderr?.on("data", (chunk) => (stderr += chunk));
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

function structured(result) {
  return result.structuredContent ?? {};
}

// Resources, prompts and completions (issue 8), with either SDK's client; `segmentId` is a
// stashed decision of PROJECT (so the primer names it).
async function checkFeatures(label, client, segmentId, segmentText) {
  await step(`${label} resources`, async () => {
    const { resources } = await client.listResources();
    const primer = `ooc://primer/${PROJECT}`;
    check(`${label} listResources has the primer`, resources.some((r) => r.uri === primer), JSON.stringify(resources));
    const { resourceTemplates } = await client.listResourceTemplates();
    const templates = resourceTemplates.map((t) => t.uriTemplate).sort();
    check(`${label} listResourceTemplates`, JSON.stringify(templates) ===
      JSON.stringify(["ooc://primer/{project_id}", "ooc://segments/{project_id}/{segment_id}"]), JSON.stringify(templates));
    const read = await client.readResource({ uri: primer });
    const text = read.contents?.[0]?.text ?? "";
    check(`${label} primer is markdown`, read.contents?.[0]?.mimeType === "text/markdown", JSON.stringify(read));
    check(`${label} primer names the segment`, text.includes(segmentId), text);
    const segment = await client.readResource({ uri: `ooc://segments/${PROJECT}/${segmentId}` });
    const body = segment.contents?.[0]?.text ?? "";
    check(`${label} segment resource has its text`, body.endsWith(segmentText), body);
    check(`${label} segment resource has its metadata`, body.startsWith(`---\nsegment_id: ${segmentId}\n`), body);
    let code;
    try {
      await client.readResource({ uri: `ooc://segments/${PROJECT}/no-such-id` });
    } catch (error) {
      code = error?.code;
    }
    check(`${label} unknown resource is an error`, code === -32002 || code === -32602, String(code));
  });
  await step(`${label} prompts`, async () => {
    const { prompts } = await client.listPrompts();
    check(`${label} listPrompts`, JSON.stringify(prompts.map((p) => p.name).sort()) === JSON.stringify(["checkpoint", "resume"]), JSON.stringify(prompts));
    const resume = await client.getPrompt({ name: "resume", arguments: { project_id: PROJECT, max_tokens: "500" } });
    const resumeText = resume.messages?.[0]?.content?.text ?? "";
    check(`${label} resume is the primer`, resume.messages?.[0]?.role === "user" && resumeText.includes(`# Context primer: project '${PROJECT}'`), resumeText);
    const checkpoint = await client.getPrompt({ name: "checkpoint", arguments: { project_id: PROJECT } });
    const checkpointText = checkpoint.messages?.[0]?.content?.text ?? "";
    check(`${label} checkpoint says what to stash`, checkpointText.includes("context_stash") && checkpointText.includes("summary"), checkpointText);
  });
  await step(`${label} completions`, async () => {
    const projects = await client.complete({
      ref: { type: "ref/prompt", name: "resume" },
      argument: { name: "project_id", value: PROJECT.slice(0, 3).toUpperCase() },
    });
    check(`${label} completes the project id`, projects.completion?.values?.includes(PROJECT), JSON.stringify(projects));
    const ids = await client.complete({
      ref: { type: "ref/resource", uri: "ooc://segments/{project_id}/{segment_id}" },
      argument: { name: "segment_id", value: segmentId.slice(0, 3) },
      context: { arguments: { project_id: PROJECT } },
    });
    check(`${label} completes the segment id`, ids.completion?.values?.includes(segmentId), JSON.stringify(ids));
  });
}

async function partV1() {
  // Session 1: list, store, stash.
  let session = await connectV1();
  let client = session.client;
  await step("v1 handshake", async () => {
    check("v1 serverInfo.name is ooc", client.getServerVersion()?.name === "ooc", JSON.stringify(client.getServerVersion()));
    check("v1 server declares tools", !!client.getServerCapabilities()?.tools);
    check("v1 instructions", typeof client.getInstructions() === "string" && client.getInstructions().length > 0);
  });
  await step("v1 listTools", async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    check("v1 listTools names", JSON.stringify(names) === JSON.stringify(TOOLS), JSON.stringify(names));
    for (const tool of tools) {
      check(`v1 ${tool.name} has inputSchema`, tool.inputSchema?.type === "object");
      check(`v1 ${tool.name} has outputSchema`, tool.outputSchema?.type === "object");
    }
  });
  await step("v1 context_store", async () => {
    const result = await client.callTool({
      name: "context_store",
      arguments: { segments: [{ segment_id: "flux-1", text: TEXT, type: "decision", tags: ["flux"] }] },
    });
    check("v1 store not an error", !result.isError, JSON.stringify(result));
    check("v1 store returns the id", structured(result).stored?.[0]?.segment_id === "flux-1", JSON.stringify(result));
  });
  await step("v1 context_stash", async () => {
    const result = await client.callTool({ name: "context_stash", arguments: { segment_ids: ["flux-1"] } });
    check("v1 stash not an error", !result.isError, JSON.stringify(result));
    check("v1 stash stashed one", structured(result).stashed?.length === 1, JSON.stringify(result));
  });
  await step("v1 invalid argument", async () => {
    const result = await client.callTool({
      name: "context_store",
      arguments: { segments: [{ text: "x", type: "banana" }] },
    });
    check("v1 invalid argument is isError", result.isError === true, JSON.stringify(result));
    const text = result.content?.[0]?.text ?? "";
    check("v1 invalid argument says INVALID_ARGUMENT", text.startsWith("INVALID_ARGUMENT"), text);
    check("v1 invalid argument names the field", text.includes("segments[0].type"), text);
  });
  await client.close();

  // Session 2: a new client = a new server process on the same store.
  session = await connectV1();
  client = session.client;
  await step("v1 search after restart", async () => {
    const result = await client.callTool({ name: "context_search_stashed", arguments: { query: "flux capacitor" } });
    const ids = (structured(result).results ?? []).map((r) => r.segment_id);
    check("v1 search finds the stashed segment", ids.includes("flux-1"), JSON.stringify(result));
  });
  await step("v1 retrieve", async () => {
    const result = await client.callTool({ name: "context_retrieve_stashed", arguments: { segment_ids: ["flux-1"], restore: true } });
    const segments = structured(result).segments ?? [];
    check("v1 retrieve returns the full text", segments.length === 1 && segments[0].text === TEXT, JSON.stringify(result));
  });
  await step("v1 get_working_set", async () => {
    const result = await client.callTool({ name: "context_get_working_set", arguments: {} });
    const ids = (structured(result).segments ?? []).map((s) => s.segment_id);
    check("v1 working set holds the restored segment", ids.includes("flux-1"), JSON.stringify(result));
  });
  await checkFeatures("v1", client, "flux-1", TEXT);
  await step("v1 list_projects", async () => {
    const result = await client.callTool({ name: "context_list_projects", arguments: {} });
    const projects = structured(result).projects ?? [];
    check("v1 list_projects shows the project", JSON.stringify(projects).includes(PROJECT), JSON.stringify(result));
  });
  await step("v1 delete", async () => {
    const result = await client.callTool({ name: "context_delete", arguments: { segment_ids: ["flux-1"], tier: "all" } });
    check("v1 delete deleted it", structured(result).deleted?.length >= 1, JSON.stringify(result));
    const after = await client.callTool({ name: "context_search_stashed", arguments: { query: "flux capacitor" } });
    check("v1 search no longer finds it", (structured(after).results ?? []).length === 0, JSON.stringify(after));
  });
  await client.close();
}

async function partV2() {
  const client = new ClientV2(
    { name: "ooc-sdk-e2e-v2", version: "1.0.0" },
    { versionNegotiation: { mode: "auto", probe: { timeoutMs: 5000 } } },
  );
  const transport = new StdioClientTransportV2(serverParams);
  await client.connect(transport);
  try {
    const version = client.getNegotiatedProtocolVersion();
    check("v2 auto negotiated a version", typeof version === "string" && version.length > 0, String(version));
    console.error(`v2 auto mode negotiated ${version}`);
    const { tools } = await client.listTools();
    check("v2 listTools names", JSON.stringify(tools.map((t) => t.name).sort()) === JSON.stringify(TOOLS));
    const stored = await client.callTool({
      name: "context_stash",
      arguments: { segments: [{ segment_id: "v2-1", text: "modern era walrus note", type: "decision" }] },
    });
    check("v2 stash not an error", !stored.isError, JSON.stringify(stored));
    const found = await client.callTool({ name: "context_search_stashed", arguments: { query: "walrus" } });
    check("v2 search finds it", (structured(found).results ?? []).some((r) => r.segment_id === "v2-1"), JSON.stringify(found));
    const bad = await client.callTool({ name: "context_delete", arguments: { segment_ids: [] } });
    check("v2 invalid argument is isError", bad.isError === true, JSON.stringify(bad));
    await checkFeatures("v2", client, "v2-1", "modern era walrus note");
  } finally {
    await client.close();
  }
}

async function partRoots() {
  const rootDir = mkdtempSync(join(tmpdir(), "ooc-sdk-Root-"));
  const wanted = basename(rootDir).toLowerCase();
  const client = new Client({ name: "ooc-sdk-e2e-roots", version: "1.0.0" }, { capabilities: { roots: { listChanged: true } } });
  let asked = 0;
  client.setRequestHandler(ListRootsRequestSchema, async () => {
    asked++;
    return { roots: [{ uri: pathToFileURL(rootDir).href, name: "e2e root" }] };
  });
  const env = { ...serverParams.env };
  delete env.OUT_OF_CONTEXT_PROJECT;  // roots only name the default when nothing pinned it
  await client.connect(new StdioClientTransport({ ...serverParams, env }));
  try {
    // The server asks after the handshake; the answer arrives asynchronously.
    let project = "";
    for (let i = 0; i < 50 && project !== wanted; i++) {
      const result = await client.callTool({ name: "context_list_projects", arguments: {} });
      project = structured(result).default_project ?? "";
      if (project !== wanted) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    check("roots: the server asked for roots", asked >= 1, String(asked));
    check("roots: the default project comes from the root", project === wanted, `${project} vs ${wanted}`);
    const stored = await client.callTool({ name: "context_stash", arguments: { segments: [{ segment_id: "root-1", text: "rooted" }] } });
    check("roots: a stash without project_id lands in it", structured(stored).project_id === wanted, JSON.stringify(stored));
  } finally {
    await client.close();
    rmSync(rootDir, { recursive: true, force: true });
  }
}

try {
  await step("part 1 (@modelcontextprotocol/sdk 1.x)", partV1);
  await step("part 3 (@modelcontextprotocol/sdk 1.x, roots)", partRoots);
  await step("part 2 (@modelcontextprotocol/client 2.x, versionNegotiation auto)", partV2);
} finally {
  rmSync(home, { recursive: true, force: true });
  rmSync(store, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
