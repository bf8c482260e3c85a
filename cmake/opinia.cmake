# opinia_test(NAME SOURCES... DEPS ...): one GoogleTest executable per *_test.cc,
# registered with CTest. Labels let `ctest -L unit` / `-L integration` pick sets.
function(opinia_test name)
  cmake_parse_arguments(T "" "LABEL;TIMEOUT" "SRCS;DEPS" ${ARGN})
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
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS ${T_LABEL} TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "OPINIA_SOURCE_DIR=${CMAKE_SOURCE_DIR};OPINIA_BINARY_DIR=${CMAKE_BINARY_DIR};OPINIA_MODELS_DIR=${OPINIA_MODELS_DIR}")
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
