# opinia_test(NAME SOURCES... DEPS ... [ARGS ...]): one GoogleTest executable
# per *_test.cc, registered with CTest (run with ARGS, e.g. a --gtest_filter).
# Labels let `ctest -L unit` / `-L integration` pick sets.
#
# Every such test gets TEST_TMPDIR (GoogleTest's ::testing::TempDir()) =
# build/test_tmp, which the test_tmp fixture (tests/testing/CMakeLists.txt)
# empties at the start of each ctest run: the temp files of a run stay there
# to look at after a failure and no longer pile up in /tmp run after run.
set(OPINIA_TEST_TMPDIR ${CMAKE_BINARY_DIR}/test_tmp)
function(opinia_test name)
  cmake_parse_arguments(T "" "LABEL;TIMEOUT" "SRCS;DEPS;ARGS" ${ARGN})
  add_executable(${name} ${T_SRCS})
  target_compile_options(${name} PRIVATE ${OPINIA_WARNINGS})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gmock GTest::gtest_main)
  if(NOT T_LABEL)
    set(T_LABEL unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  if(OPINIA_SANITIZE)
    # Sanitized binaries run several times slower (TSan up to ~15x).
    math(EXPR T_TIMEOUT "${T_TIMEOUT} * 5")
  endif()
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  set_tests_properties(${name} PROPERTIES LABELS ${T_LABEL} TIMEOUT ${T_TIMEOUT}
    OPINIA_ARGS "${T_ARGS}"
    FIXTURES_REQUIRED test_tmp
    ENVIRONMENT "OPINIA_SOURCE_DIR=${CMAKE_SOURCE_DIR};OPINIA_BINARY_DIR=${CMAKE_BINARY_DIR};OPINIA_MODELS_DIR=${OPINIA_MODELS_DIR};TEST_TMPDIR=${OPINIA_TEST_TMPDIR}")
endfunction()

# opinia_pg_test(NAME ...): an opinia_test that uses PostgreSQL
# (tests/testing/pg_test_db.h). It requires the pg_cluster fixture, so ctest
# starts one cluster before the first such test and stops it after the last
# (tests/testing/CMakeLists.txt); OPINIA_PG_STATE_DIR tells the test where
# the cluster's URL is.
set(OPINIA_PG_STATE_DIR ${CMAKE_BINARY_DIR}/pg_test_cluster)
function(opinia_pg_test name)
  opinia_test(${name} ${ARGN})
  set_property(TEST ${name} APPEND PROPERTY FIXTURES_REQUIRED pg_cluster)
  set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT
    "OPINIA_PG_STATE_DIR=${OPINIA_PG_STATE_DIR}")
  set_property(TEST ${name} APPEND PROPERTY LABELS postgres)
endfunction()

# opinia_pg_variant(TEST...): for each opinia_test TEST made in the same
# directory, a second ctest entry TEST_pg running the same binary (and
# ARGS) on PostgreSQL: OPINIA_TEST_BACKEND=postgres makes its stores and
# servers use fresh schemas in the pg_cluster fixture's cluster
# (tests/testing/test_backend.h). Label `postgres` on top of TEST's labels
# (as opinia_pg_test's), so `ctest -L postgres` runs every PostgreSQL test.
function(opinia_pg_variant)
  foreach(name IN LISTS ARGN)
    get_test_property(${name} LABELS labels)
    if(NOT labels)
      message(FATAL_ERROR "opinia_pg_variant: no opinia_test ${name} here")
    endif()
    get_test_property(${name} TIMEOUT timeout)
    get_test_property(${name} ENVIRONMENT environment)
    get_test_property(${name} OPINIA_ARGS args)
    if(NOT args)
      set(args "")
    endif()
    add_test(NAME ${name}_pg COMMAND ${name} ${args})
    set_tests_properties(${name}_pg PROPERTIES
      LABELS "${labels};postgres" TIMEOUT ${timeout}
      FIXTURES_REQUIRED "pg_cluster;test_tmp"
      ENVIRONMENT "${environment};OPINIA_TEST_BACKEND=postgres;OPINIA_PG_STATE_DIR=${OPINIA_PG_STATE_DIR}")
  endforeach()
endfunction()

# opinia_read_sql(VAR FILE): the text of FILE (SQL compiled in as a raw
# string R"opinia_sql(...)opinia_sql") in VAR; stops if the text holds the
# raw string's end. Editing FILE re-runs CMake.
function(opinia_read_sql var file)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  file(READ ${file} text)
  string(FIND "${text}" ")opinia_sql\"" raw_string_end)
  if(NOT raw_string_end EQUAL -1)
    message(FATAL_ERROR "${file} must not contain )opinia_sql\"")
  endif()
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

# opinia_library(TARGET [ALIAS NAME] SRCS ... [PUBLIC deps...] [PRIVATE deps...]):
# a library of the project, with the repository root on its include path and
# the project's warnings; every folder's library is declared through it.
function(opinia_library name)
  cmake_parse_arguments(L "" "ALIAS" "SRCS;PUBLIC;PRIVATE" ${ARGN})
  add_library(${name} ${L_SRCS})
  if(L_ALIAS)
    add_library(${L_ALIAS} ALIAS ${name})
  endif()
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${OPINIA_WARNINGS})
  target_link_libraries(${name} PUBLIC ${L_PUBLIC} PRIVATE ${L_PRIVATE})
endfunction()

# The folders of service/core/, in layer order: a folder's library links,
# and its code includes, only folders before it. service/core/ and
# tests/service/core/ add them in this order, and scripts/core_layers.py
# (core_layers_test) reads this list to check the includes.
set(OPINIA_CORE_LAYERS util secrets auth tenants reviews ingest alerts
  insights collectors)

# opinia_embed_files(OUTPUT FUNCTION HEADER BASE_DIR FILES...): OUTPUT, a
# generated C++ source defining FUNCTION (declared in HEADER), which returns
# every file of FILES (absolute paths under BASE_DIR) as opinia::EmbeddedFile
# (util/embedded_file.h). The bytes are read at build time, so editing a file
# rebuilds; glob FILES with CONFIGURE_DEPENDS so that a new file is found.
function(opinia_embed_files output function header base_dir)
  list(JOIN ARGN "|" files)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DFUNCTION=${function}
            -DHEADER=${header} -DBASE_DIR=${base_dir} -DFILES=${files}
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${ARGN} ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${function}"
    VERBATIM)
endfunction()
