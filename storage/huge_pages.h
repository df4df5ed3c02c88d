// Huge pages for malloc (issue 9). A background compaction forks the server, and fork(2) copies
// the page tables of every resident page: 30 ms per GB with 4 KiB pages, ~1 ms with the 2 MiB
// pages that glibc's malloc asks for under the tunable glibc.malloc.hugetlb=1 (transparent huge
// pages, madvise mode), with one malloc arena (glibc.malloc.arena_max=1). Freeing the memory at
// exit is as much faster (48 -> 3 ms at 100k segments). Tunables are read only when a process
// starts, so the process executes itself again with them set, once.
#pragma once

namespace storage {

// When GLIBC_TUNABLES does not mention glibc.malloc.hugetlb (a user's own setting wins): adds
// glibc.malloc.hugetlb=1 (and arena_max=1 unless it is set) to it and execv()s /proc/self/exe with `argv`. Returns only when that
// is not needed or not possible (the process then runs as it is, only slower to fork).
void reexec_with_malloc_huge_pages(char** argv);

}  // namespace storage
