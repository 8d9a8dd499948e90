// The test binaries' main. CTest runs each test case as `--test-case=<name>`; a name the
// filter cannot match (CMake splits names at ';') would run nothing and still pass, so a
// filtered run that selects no test case fails instead.

#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <string_view>

namespace {

unsigned g_selected = 0;  // test cases that passed the filters in the last run

struct selection_listener : doctest::IReporter {
    explicit selection_listener(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats& stats) override { g_selected = stats.numTestCasesPassingFilters; }
    void test_case_start(const doctest::TestCaseData&) override {}
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};

}  // namespace

DOCTEST_REGISTER_LISTENER("selection", 1, selection_listener);

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    const int failed = context.run();
    if (failed != 0 || context.shouldExit()) return failed;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool names_cases = arg.starts_with("--test-case=") || arg.starts_with("-tc=");
        if (names_cases && g_selected == 0) {
            std::fprintf(stderr, "no test case matches '%s': nothing was run\n", argv[i]);
            return 1;
        }
    }
    return 0;
}
