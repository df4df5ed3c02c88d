# Install rules, the man page, the .deb (CPack) and the npm tarballs, for the self-contained build
# only (OOC_STATIC): the target ooc_dist (part of `all`) runs packaging/make-dist, which puts the
# stripped binary, ooc_<version>_amd64.deb (/usr/bin/ooc, /usr/share/man/man1/ooc.1.gz) and the
# npm tarballs in <build>/dist/. The man page is generated from `ooc --help` by help2man (the
# version is given: help2man would take the program name from `ooc --version`, which prints only
# the version and commit).
if(NOT OOC_STATIC)
  return()
endif()

find_program(OOC_HELP2MAN help2man REQUIRED)
find_program(OOC_GZIP gzip REQUIRED)
set(_ooc_man "${PROJECT_BINARY_DIR}/ooc.1")
# help2man names the page after the file it runs: a link named ooc to ooc-static.
set(_ooc_man_link "${PROJECT_BINARY_DIR}/man/ooc")
add_custom_command(OUTPUT "${_ooc_man}.gz"
  COMMAND ${CMAKE_COMMAND} -E make_directory "${PROJECT_BINARY_DIR}/man"
  COMMAND ${CMAKE_COMMAND} -E create_symlink "$<TARGET_FILE:ooc_static>" "${_ooc_man_link}"
  COMMAND "${OOC_HELP2MAN}" --no-info --no-discard-stderr
          --name "MCP server that keeps context out of the conversation"
          --version-string "${PROJECT_VERSION}" --section 1 --output "${_ooc_man}" "${_ooc_man_link}"
  COMMAND "${OOC_GZIP}" -9nf "${_ooc_man}"
  DEPENDS ooc_static
  COMMENT "Generating the man page from ooc --help"
  VERBATIM)
add_custom_target(ooc_man ALL DEPENDS "${_ooc_man}.gz")

include(GNUInstallDirs)
set(OOC_DIST_DIR "${PROJECT_BINARY_DIR}/dist")
# The stripped static binary packaging/make-dist puts in dist/ before it runs cpack.
install(PROGRAMS "${OOC_DIST_DIR}/ooc" DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES "${_ooc_man}.gz" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ooc)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "ooc maintainers <ooc@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "MCP server that keeps context out of the conversation")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# The binary is static: it depends on no package (dpkg-shlibdeps would find no libraries).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
include(CPack)

find_program(OOC_NODE node REQUIRED)
find_program(OOC_NPM npm REQUIRED)
add_custom_command(OUTPUT "${OOC_DIST_DIR}/ooc"
  COMMAND "${PROJECT_SOURCE_DIR}/packaging/make-dist" "${PROJECT_BINARY_DIR}" "${OOC_DIST_DIR}"
          "${PROJECT_VERSION}"
  DEPENDS ooc_static "${_ooc_man}.gz" "${PROJECT_SOURCE_DIR}/packaging/make-dist"
          "${PROJECT_SOURCE_DIR}/packaging/npm/ooc-mcp/package.json"
          "${PROJECT_SOURCE_DIR}/packaging/npm/ooc-mcp/bin/ooc.js"
          "${PROJECT_SOURCE_DIR}/packaging/npm/ooc-mcp-linux-x64/package.json"
  COMMENT "Packaging the .deb and the npm tarballs into ${OOC_DIST_DIR}"
  VERBATIM)
add_custom_target(ooc_dist ALL DEPENDS "${OOC_DIST_DIR}/ooc")
