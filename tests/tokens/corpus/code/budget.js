// Picks segments for a working set under a token budget: highest score first, skipping any
// segment that would overflow the budget, then restores the original order for display.
'use strict';

const DEFAULT_BUDGET = 8000;

function pickWithinBudget(segments, { budget = DEFAULT_BUDGET, pinned = [] } = {}) {
  if (!Array.isArray(segments)) throw new TypeError('segments must be an array');
  const byScore = segments
    .map((s, index) => ({ ...s, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  let used = 0;
  const chosen = [];
  for (const id of pinned) {
    const s = byScore.find((x) => x.id === id);
    if (s && used + s.tokens <= budget) {
      chosen.push(s);
      used += s.tokens;
    }
  }
  for (const s of byScore) {
    if (chosen.includes(s)) continue;
    if (used + s.tokens > budget) continue;
    chosen.push(s);
    used += s.tokens;
  }
  chosen.sort((a, b) => a.index - b.index);
  return { segments: chosen.map(({ index, ...rest }) => rest), used, remaining: budget - used };
}

module.exports = { pickWithinBudget, DEFAULT_BUDGET };

if (require.main === module) {
  const demo = [
    { id: 'a1', score: 0.9, tokens: 3200 },
    { id: 'b2', score: 0.7, tokens: 5100 },
    { id: 'c3', score: 0.4, tokens: 900 },
  ];
  console.log(JSON.stringify(pickWithinBudget(demo, { budget: 4500 }), null, 2));
}
