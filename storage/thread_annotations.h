// Clang thread-safety annotations (leveldb's port/thread_annotations.h): they say which mutex
// guards which member, and clang's -Wthread-safety checks every access. Other compilers (g++)
// see nothing: the macros expand to nothing there.
#pragma once

#if defined(__clang__)
#define OOC_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define OOC_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) OOC_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY OOC_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) OOC_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) OOC_THREAD_ANNOTATION(pt_guarded_by(x))
#define REQUIRES(...) OOC_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ACQUIRE(...) OOC_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) OOC_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define EXCLUDES(...) OOC_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS OOC_THREAD_ANNOTATION(no_thread_safety_analysis)
