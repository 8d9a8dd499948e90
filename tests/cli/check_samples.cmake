# The shipped sample trees must check clean: `signpost check trees` exits 0 and prints
# nothing but its one-line summary.
# Usage: cmake -DSIGNPOST=<signpost binary> -DSOURCE=<source dir> -P check_samples.cmake

if(NOT DEFINED SIGNPOST OR NOT DEFINED SOURCE)
  message(FATAL_ERROR "usage: cmake -DSIGNPOST=<binary> -DSOURCE=<source dir> -P check_samples.cmake")
endif()

execute_process(
  COMMAND "${SIGNPOST}" check "${SOURCE}/trees"
  RESULT_VARIABLE status
  OUTPUT_VARIABLE output
  ERROR_VARIABLE errors)

if(NOT status STREQUAL "0")
  message(FATAL_ERROR "signpost check ${SOURCE}/trees exited with ${status}:\n${output}${errors}")
endif()
if(NOT errors STREQUAL "")
  message(FATAL_ERROR "signpost check wrote to stderr:\n${errors}")
endif()
if(NOT output MATCHES "^checked ([0-9]+) files?: no problems\n$")
  message(FATAL_ERROR "expected only the summary line, got:\n${output}")
endif()
if(CMAKE_MATCH_1 EQUAL 0)
  message(FATAL_ERROR "no sample trees found in ${SOURCE}/trees")
endif()
string(STRIP "${output}" summary)
message(STATUS "${summary}")
