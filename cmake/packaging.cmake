# Install rules, the man page and the .deb (CPack), for the self-contained build only (OOC_STATIC):
# `cpack -G DEB` in that build directory makes ooc_<version>_amd64.deb with /usr/bin/ooc and
# /usr/share/man/man1/ooc.1.gz. The man page is generated from `ooc --help` by help2man (the
# version is given: help2man would take the program name from `ooc --version`, which prints only
# the version and commit).
if(NOT OOC_STATIC)
  return()
endif()

find_program(OOC_HELP2MAN help2man REQUIRED)
find_program(OOC_GZIP gzip REQUIRED)
set(_ooc_man "${PROJECT_BINARY_DIR}/ooc.1")
add_custom_command(OUTPUT "${_ooc_man}.gz"
  COMMAND "${OOC_HELP2MAN}" --no-info --no-discard-stderr
          --name "MCP server that keeps context out of the conversation"
          --version-string "${PROJECT_VERSION}" --section 1 --output "${_ooc_man}" "$<TARGET_FILE:ooc>"
  COMMAND "${OOC_GZIP}" -9nf "${_ooc_man}"
  DEPENDS ooc
  COMMENT "Generating the man page from ooc --help"
  VERBATIM)
add_custom_target(ooc_man ALL DEPENDS "${_ooc_man}.gz")

include(GNUInstallDirs)
install(TARGETS ooc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES "${_ooc_man}.gz" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ooc)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "ooc maintainers <ooc@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "MCP server that keeps context out of the conversation")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# dpkg-shlibdeps turns the binary's needs (glibc only) into the libc6 (>= x) dependency.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
