# signpost-bench-report: `signpost report` speed on a generated log of 1M sessions, against
# SQLite's own scan of the same events table (docs/report.md). Included by
# bench/CMakeLists.txt; owned by the path statistics work.
if(NOT TARGET PkgConfig::SQLITE3)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
endif()
add_executable(signpost-bench-report ${CMAKE_CURRENT_LIST_DIR}/report_bench.cpp)
target_link_libraries(signpost-bench-report PRIVATE signpost::engine PkgConfig::SQLITE3 signpost_warnings)
target_compile_definitions(signpost-bench-report PRIVATE SIGNPOST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
