// Queries over the catalog: search (DESIGN §4), retrieve, listings, stats, export. Pure functions of
// the catalog; retrieve() with `restore` also copies into the working set.
//
// Not thread-safe: callers hold the Store's mutex.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/catalog.h"
#include "storage/search/search_types.h"
#include "storage/segment_factory.h"
#include "storage/store.h"

namespace storage {

// One page of matches, ordered by score, then newest first, id, project.
SearchPage search(const Catalog& catalog, const SearchRequest& request);

// Full stashed segments by id, in the order asked ("*": every project, first match by project id
// order); `max_tokens` (0 = no limit) stops before exceeding; `restore` copies what is returned
// into the working set, touched now.
RetrieveOutcome retrieve(Catalog& catalog, const SegmentFactory& factory, const std::string& project,
                         const std::vector<std::string>& ids, bool restore, int64_t max_tokens);

// Every project with segments in either tier, by id.
std::vector<ProjectInfo> list_projects(const Catalog& catalog);

// The catalog's share of StoreStats: journal_seq, counts, tokens, index sizes.
StoreStats catalog_stats(const Catalog& catalog);

// Every stashed segment of `project` ("*": all), projects and ids in order.
std::vector<Segment> export_stashed(const Catalog& catalog, const std::string& project);

}  // namespace storage
