# OOC_STATIC / OOC_SOURCE_DEPS: third-party libraries without Debian's shared C++ libraries,
# from Debian 12 only.
#   utf8proc, xxhash, stemmer (OOC_STATIC): Debian's static archives (.a; CMakeLists.txt).
#   spdlog + fmt: header-only with Debian's headers (Debian's spdlog is built with
#     SPDLOG_FMT_EXTERNAL, so spdlog's header-only mode uses fmt's header-only mode).
#   simdjson: Debian ships no libsimdjson.a; simdjson.cpp from Debian's source package
#     (scripts/release fetches it with `apt-get source`) is compiled into a static library.
#   OOC_STATIC: the executable ooc-static (tools/CMakeLists.txt) is linked fully static (-static:
#     glibc, libstdc++, libgcc), so it runs on any x86-64 Linux whatever its glibc; ooc and the
#     test programs link the same objects dynamically.
# Defines simdjson::simdjson and spdlog::spdlog so the targets link the same names in both modes.
if(NOT OOC_SIMDJSON_SOURCE)
  # Where scripts/fetch-simdjson-source puts it by default.
  file(GLOB _ooc_found "${PROJECT_SOURCE_DIR}/build-static/_deps/simdjson-*/singleheader/simdjson.cpp")
  if(_ooc_found)
    list(GET _ooc_found 0 _ooc_first)
    set(OOC_SIMDJSON_SOURCE "${_ooc_first}" CACHE FILEPATH "simdjson.cpp from Debian's source" FORCE)
  endif()
endif()
if(NOT OOC_SIMDJSON_SOURCE OR NOT EXISTS "${OOC_SIMDJSON_SOURCE}")
  message(FATAL_ERROR "OOC_STATIC / OOC_SOURCE_DEPS need OOC_SIMDJSON_SOURCE=<simdjson.cpp from "
    "Debian's simdjson source package>: run scripts/fetch-simdjson-source (scripts/release does).")
endif()
find_path(OOC_SIMDJSON_INCLUDE_DIR simdjson.h REQUIRED)
get_filename_component(_ooc_simdjson_dir "${OOC_SIMDJSON_SOURCE}" DIRECTORY)
if(EXISTS "${_ooc_simdjson_dir}/simdjson.h")
  file(SHA256 "${_ooc_simdjson_dir}/simdjson.h" _ooc_src_header)
  file(SHA256 "${OOC_SIMDJSON_INCLUDE_DIR}/simdjson.h" _ooc_sys_header)
  if(NOT _ooc_src_header STREQUAL _ooc_sys_header)
    message(FATAL_ERROR "${_ooc_simdjson_dir}/simdjson.h differs from the installed "
      "${OOC_SIMDJSON_INCLUDE_DIR}/simdjson.h: fetch the source of the installed libsimdjson-dev.")
  endif()
endif()
add_library(ooc_simdjson STATIC "${OOC_SIMDJSON_SOURCE}")
target_include_directories(ooc_simdjson SYSTEM PUBLIC "${_ooc_simdjson_dir}")
target_compile_features(ooc_simdjson PUBLIC cxx_std_17)
set_target_properties(ooc_simdjson PROPERTIES POSITION_INDEPENDENT_CODE ON)
add_library(simdjson::simdjson ALIAS ooc_simdjson)

find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_path(OOC_SPDLOG_INCLUDE_DIR spdlog/spdlog.h REQUIRED)
add_library(ooc_spdlog_header_only INTERFACE)
target_compile_definitions(ooc_spdlog_header_only INTERFACE SPDLOG_FMT_EXTERNAL)
target_include_directories(ooc_spdlog_header_only SYSTEM INTERFACE "${OOC_SPDLOG_INCLUDE_DIR}")
target_link_libraries(ooc_spdlog_header_only INTERFACE fmt::fmt-header-only Threads::Threads)
add_library(spdlog::spdlog ALIAS ooc_spdlog_header_only)
