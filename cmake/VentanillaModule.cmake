# vt_module(<name> [DEPS <module>...] [LIBS <target>...] [SOURCES <file>...])
#
# Builds library vt_<name> from the module folder: every *.cpp except *_test.cpp and
# those under api/ (plus extra SOURCES), public headers in include/. The JSON handlers
# in api/ become a separate library vt_<name>_api that links vt_http, so the domain
# library itself can never include HTTP code. Tests beside the code (*_test.cpp,
# tests/*_test.cpp, api/*_test.cpp) become one binary vt_<name>_test with one CTest entry.
function(vt_module name)
  cmake_parse_arguments(VT "" "" "DEPS;LIBS;SOURCES;TEST_LIBS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  list(FILTER srcs EXCLUDE REGEX "_test\\.cpp$")
  list(FILTER srcs EXCLUDE REGEX "/testing/")
  list(FILTER srcs EXCLUDE REGEX "/api/")
  add_library(vt_${name} STATIC ${srcs} ${VT_SOURCES})
  target_include_directories(vt_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                         PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  set(deps "")
  foreach(d IN LISTS VT_DEPS)
    list(APPEND deps vt_${d})
  endforeach()
  target_link_libraries(vt_${name} PUBLIC ${deps} ${VT_LIBS})

  set(api_target "")
  file(GLOB_RECURSE api_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/api/*.cpp)
  list(FILTER api_srcs EXCLUDE REGEX "_test\\.cpp$")
  if(api_srcs)
    set(api_target vt_${name}_api)
    add_library(${api_target} STATIC ${api_srcs})
    target_include_directories(${api_target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/api/include
                                             PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
    target_link_libraries(${api_target} PUBLIC vt_${name} vt_http)
  endif()

  if(VT_BUILD_TESTS)
    file(GLOB_RECURSE tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
    file(GLOB_RECURSE test_support CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/testing/*.cpp)
    list(FILTER test_support EXCLUDE REGEX "_test\\.cpp$")
    if(tests)
      add_executable(vt_${name}_test ${tests} ${test_support})
      target_include_directories(vt_${name}_test PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
      target_link_libraries(vt_${name}_test PRIVATE vt_${name} ${api_target} vt_testing ${VT_TEST_LIBS}
                            GTest::gtest GTest::gtest_main)
      add_test(NAME ${name} COMMAND vt_${name}_test --gtest_brief=1)
      set_tests_properties(${name} PROPERTIES TIMEOUT 600)
    endif()
  endif()
endfunction()

# vt_embed(<target> <symbol> <file>...): turns text files into a generated .cpp that
# defines `std::span<const vt::core::EmbeddedFile> <symbol>()`, so the binary carries
# its migrations and assets and needs nothing beside it at run time.
function(vt_embed target symbol)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${symbol}_embedded.cpp)
  # A CMake list cannot cross a command line intact; pass it joined with '|'.
  string(REPLACE ";" "|" files_arg "${ARGN}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSYMBOL=${symbol} -DBASE=${CMAKE_CURRENT_SOURCE_DIR}
            -DFILES=${files_arg} -P ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
    DEPENDS ${ARGN} ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
    COMMENT "Embedding ${symbol}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
