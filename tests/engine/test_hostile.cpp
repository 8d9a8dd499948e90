// Hostile and broken input, end to end: every case gets a clear diagnostic or message,
// no crash, no runaway time or memory, and no partial file. The sanitize preset runs these
// under ASan+UBSan, where a stack overflow or an out-of-bounds read is a failure too.
//
// Index
// [SECTION] helpers
// [SECTION] XML: entities, huge values, claimed sizes, nesting, UTF-8
// [SECTION] ids and jumps
// [SECTION] big nodes and deep expressions
// [SECTION] session log: read-only, full, corrupted
// [SECTION] mutated generated trees

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "signpost/export.hpp"
#include "signpost/expr.hpp"
#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/markdown.hpp"
#include "signpost/save.hpp"
#include "signpost/session.hpp"
#include "signpost/session_log.hpp"
#include "signpost/text.hpp"
#include "signpost/validate.hpp"
#include "slowdown.hpp"
#include "tree_generator.hpp"

using namespace signpost;
namespace fs = std::filesystem;

namespace {

// [SECTION] helpers

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

// Time budgets are for optimised builds; sanitizer builds run several times slower. The
// budgets only catch super-linear work, which misses them by orders of magnitude.
constexpr double slow = signpost::test::slowdown;

double seconds_since(std::chrono::steady_clock::time_point began) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
}

std::string dump(const diagnostics& all) {
    std::string out;
    for (const auto& d : all) out += format(d) + "\n";
    return out;
}

std::size_t count_code(const diagnostics& all, const std::string& code) {
    std::size_t n = 0;
    for (const auto& d : all) n += d.code == code;
    return n;
}

const diagnostic* first_with(const diagnostics& all, const std::string& code) {
    for (const auto& d : all)
        if (d.code == code) return &d;
    return nullptr;
}

// A minimal valid tree: start question `q` with `choices`, ending at `done`.
std::string small_tree(const std::string& id, const std::string& nodes, const std::string& start = "done") {
    return "<tree format=\"1\" id=\"" + id + "\" start=\"" + start + "\">\n" + nodes +
           "  <end id=\"done\" outcome=\"resolved\"/>\n</tree>\n";
}

// A fresh folder, world-writable so the test can act as an unprivileged user in it.
struct temp_dir {
    fs::path path;
    temp_dir() {
        std::string tmpl = (fs::temp_directory_path() / "signpost-hostile-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
        fs::permissions(path, fs::perms::all);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::permissions(path, fs::perms::all, ec);
        for (const auto& e : fs::recursive_directory_iterator(path, ec)) fs::permissions(e.path(), fs::perms::all, ec);
        fs::remove_all(path, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    std::string file(const std::string& name) const { return (path / name).string(); }
    std::string write(const std::string& name, const std::string& content) const {
        std::ofstream(path / name, std::ios::binary) << content;
        return file(name);
    }
    std::vector<std::string> entries() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Root ignores permission bits; acting as "nobody" on the file system makes read-only
// files and folders read-only for the test too.
struct as_unprivileged {
    bool dropped = false;
    as_unprivileged() {
        if (::geteuid() == 0) {
            ::setfsuid(65534);
            dropped = true;
        }
    }
    ~as_unprivileged() {
        if (dropped) ::setfsuid(0);
    }
    as_unprivileged(const as_unprivileged&) = delete;
    as_unprivileged& operator=(const as_unprivileged&) = delete;
};

// Files may grow only to `bytes` while this lives (a full disk, for root too).
struct file_size_limit {
    rlimit old{};
    void (*old_handler)(int) = nullptr;
    explicit file_size_limit(rlim_t bytes) {
        REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
        old_handler = std::signal(SIGXFSZ, SIG_IGN);  // write() fails with EFBIG instead
        rlimit small = old;
        small.rlim_cur = bytes;
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    }
    ~file_size_limit() {
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, old_handler);
    }
    file_size_limit(const file_size_limit&) = delete;
    file_size_limit& operator=(const file_size_limit&) = delete;
};

// The tree as the saver writes it; equal text means an equal model.
std::string canonical(const tree& t) { return save_tree_string(t); }

}  // namespace

// [SECTION] XML: entities, huge values, claimed sizes, nesting, UTF-8

TEST_CASE("hostile: entity tricks expand nothing and read nothing") {
    temp_dir dir;
    SUBCASE("external and parameter entities are refused as DOCTYPE, from a file too") {
        const std::string body = "<tree format=\"1\" id=\"t\" start=\"a\"><end id=\"a\" outcome=\"x\"><text>&xxe;</text></end></tree>\n";
        for (const std::string doctype : {"<!DOCTYPE t [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n",
                                          "<!DOCTYPE t [<!ENTITY % p SYSTEM \"http://example.com/x.dtd\"> %p;]>\n",
                                          "<!DOCTYPE t SYSTEM \"/etc/passwd\">\n"}) {
            CAPTURE(doctype);
            const std::string path = dir.write("t.xml", doctype + body);
            const load_result r = load_tree_file(path);
            INFO(dump(r.problems));
            CHECK(r.loaded == nullptr);
            REQUIRE(count_code(r.problems, "doctype") == 1);
            CHECK(r.problems.size() == 1);
            CHECK(first_with(r.problems, "doctype")->pos.line == 1);
            CHECK(first_with(r.problems, "doctype")->file == path);
            for (const auto& d : r.problems) CHECK(d.message.find("root:") == std::string::npos);
        }
    }
    SUBCASE("an undeclared entity in an attribute is refused; an escaped one round-trips") {
        const load_result xxe = load_tree_string(small_tree("t", "  <step id=\"s\" title=\"&xxe;\" to=\"done\"/>\n", "s"));
        CHECK(xxe.loaded == nullptr);
        CHECK(count_code(xxe.problems, "xml-syntax") == 1);
        const load_result r = load_tree_string(small_tree("t", "  <step id=\"s\" title=\"&amp;xxe; &amp;amp;\" to=\"done\"/>\n", "s"));
        INFO(dump(r.problems));
        REQUIRE(r.ok());
        const std::string title = r.loaded->find("s")->title;
        CHECK(title == "&xxe; &amp;");
        const load_result again = load_tree_string(canonical(*r.loaded));
        REQUIRE(again.ok());
        CHECK(again.loaded->find("s")->title == title);
    }
    SUBCASE("a million predefined references load in linear time") {
        const std::string many = repeat("&amp;&lt;&#65;", 1'000'000);
        const auto began = std::chrono::steady_clock::now();
        const load_result r = load_tree_string(small_tree("t", "  <step id=\"s\" to=\"done\"><text>" + many + "</text></step>\n", "s"));
        CHECK(seconds_since(began) < 30.0 * slow);
        REQUIRE(r.ok());
        CHECK(r.loaded->find("s")->text.size() == 3'000'000);
    }
}

TEST_CASE("hostile: huge attribute values are handled or refused, quickly") {
    SUBCASE("a 20 MB title saves and loads back unchanged") {
        const std::string big(20'000'000, 'x');
        const load_result r = load_tree_string(small_tree("t", "  <step id=\"s\" title=\"" + big + "\" to=\"done\"/>\n", "s"));
        REQUIRE(r.ok());
        const std::string saved = canonical(*r.loaded);
        const load_result again = load_tree_string(saved);
        REQUIRE(again.ok());
        CHECK(again.loaded->find("s")->title == big);
    }
    SUBCASE("a 1 MB condition is refused as too long, not parsed for ever") {
        const std::string cond = "n == 1" + repeat(" or n == 1", 100'000);
        const auto began = std::chrono::steady_clock::now();
        const load_result r = load_tree_string(
            "<tree format=\"1\" id=\"t\" start=\"l\"><variables><variable name=\"n\" type=\"number\" default=\"0\"/>"
            "</variables><logic id=\"l\"><branch if=\"" + cond + "\" to=\"done\"/><otherwise to=\"done\"/></logic>"
            "<end id=\"done\" outcome=\"x\"/></tree>");
        CHECK(seconds_since(began) < 30.0 * slow);
        INFO(dump(r.problems));
        CHECK(count_code(r.problems, "expr-too-deep") == 1);
        CHECK_FALSE(r.ok());
    }
    SUBCASE("a 1 MB regex pattern is refused before it is compiled") {
        const std::string pattern = repeat("(a|aa)*", 150'000);
        const auto began = std::chrono::steady_clock::now();
        const load_result r = load_tree_string(
            "<tree format=\"1\" id=\"t\" start=\"f\"><variables><variable name=\"v\" type=\"text\"/></variables>"
            "<form id=\"f\" to=\"done\"><field var=\"v\" pattern=\"" + pattern + "\"/></form>"
            "<end id=\"done\" outcome=\"x\"/></tree>");
        CHECK(seconds_since(began) < 5.0 * slow);
        CHECK(count_code(r.problems, "invalid-pattern") == 1);
    }
    SUBCASE("200k choice options load in linear time") {
        std::string options;
        for (int i = 0; i < 200'000; ++i) options += (i ? " o" : "o") + std::to_string(i);
        const auto began = std::chrono::steady_clock::now();
        const load_result r = load_tree_string(
            "<tree format=\"1\" id=\"t\" start=\"done\"><variables><variable name=\"c\" type=\"choice\" options=\"" +
            options + "\" default=\"o199999\"/></variables><end id=\"done\" outcome=\"x\"/></tree>");
        CHECK(seconds_since(began) < 30.0 * slow);
        INFO(dump(r.problems));
        REQUIRE(r.ok());
        CHECK(r.loaded->variables.at(0).options.size() == 200'000);
    }
}

TEST_CASE("hostile: claimed sizes of 1 GB are refused without reading them") {
    temp_dir dir;
    SUBCASE("a 1 GiB (sparse) file") {
        const std::string path = dir.write("huge.xml", "<tree/>");
        fs::resize_file(path, std::uintmax_t{1} << 30);
        const auto began = std::chrono::steady_clock::now();
        const load_result r = load_tree_file(path);
        CHECK(seconds_since(began) < 1.0 * slow);
        CHECK(r.loaded == nullptr);
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].code == "too-large");
        CHECK(r.problems[0].message.find("1073741824") != std::string::npos);  // the real size
    }
    SUBCASE("1 GiB of address space that must not be touched") {
        // Any read of these pages faults: the size check has to come before anything else.
        const std::size_t size = std::size_t{1} << 30;
        void* p = ::mmap(nullptr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        REQUIRE(p != MAP_FAILED);
        const load_result r = load_tree_string(std::string_view(static_cast<const char*>(p), size), "claimed.xml");
        ::munmap(p, size);
        CHECK(r.loaded == nullptr);
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].code == "too-large");
    }
    SUBCASE("an endless device is read only up to the limit") {
        const auto began = std::chrono::steady_clock::now();
        const load_result r = load_tree_file("/dev/zero");
        CHECK(seconds_since(began) < 30.0 * slow);
        CHECK(r.loaded == nullptr);
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].code == "too-large");
    }
    SUBCASE("numbers that claim more than they can hold") {
        for (const std::string attrs : {"version=\"99999999999999999999\"", "version=\"-1\"", "version=\"0x10\"",
                                        "format=\"18446744073709551617\""}) {
            CAPTURE(attrs);
            const load_result r = load_tree_string("<tree format=\"1\" id=\"t\" start=\"done\" " + attrs +
                                                   "><end id=\"done\" outcome=\"x\"/></tree>");
            INFO(dump(r.problems));
            CHECK_FALSE(r.ok());
            CHECK(r.problems.size() >= 1);
        }
        for (const std::string coord : {"1e999", "-1e999", "nan", "inf", "1e99999999999999999999"}) {
            CAPTURE(coord);
            const load_result r = load_tree_string("<tree format=\"1\" id=\"t\" start=\"done\"><end id=\"done\" outcome=\"x\"/>"
                                                   "<layout><pos node=\"done\" x=\"" + coord + "\" y=\"0\"/></layout></tree>");
            CHECK(count_code(r.problems, "invalid-attribute") == 1);
        }
    }
}

TEST_CASE("hostile: deeply nested Markdown and braces stay bounded") {
    const std::vector<std::string> texts = {
        repeat(">", 20'000) + " quote",
        repeat("- ", 10'000) + "item",
        repeat("  ", 5'000) + "1. deep",
        repeat("*", 50'000) + "x" + repeat("*", 50'000),
        repeat("[", 50'000) + "x" + repeat("](u)", 50'000),
        repeat("`", 30'000),
        repeat("{", 50'000) + "account" + repeat("}", 50'000),
    };
    for (const auto& text : texts) {
        CAPTURE(text.substr(0, 20));
        const auto began = std::chrono::steady_clock::now();
        const auto blocks = parse_markdown(text);
        (void)markdown_to_plain(text);
        (void)find_references(text);
        (void)interpolate(text, [](std::string_view) { return std::optional<std::string>("x"); });
        CHECK(seconds_since(began) < 20.0 * slow);
        CHECK_FALSE(find_invalid_utf8(neutralise_controls(text)).has_value());
        (void)blocks;
    }
}

TEST_CASE("hostile: invalid UTF-8 and overlong encodings, at the exact byte") {
    struct sample {
        const char* name;
        std::string bytes;
    };
    const std::vector<sample> samples = {
        {"overlong NUL", "\xC0\x80"},          {"overlong slash", "\xC0\xAF"},
        {"C1 lead", "\xC1\xBF"},               {"overlong 3-byte", "\xE0\x80\xAF"},
        {"overlong 3-byte max", "\xE0\x9F\xBF"}, {"overlong 4-byte", "\xF0\x80\x80\xAF"},
        {"overlong 4-byte max", "\xF0\x8F\xBF\xBF"}, {"high surrogate", "\xED\xA0\x80"},
        {"low surrogate", "\xED\xBF\xBF"},     {"above U+10FFFF", "\xF4\x90\x80\x80"},
        {"F5 lead", "\xF5\x80\x80\x80"},       {"5-byte form", "\xF8\x88\x80\x80\x80"},
        {"6-byte form", "\xFC\x84\x80\x80\x80\x80"}, {"lone continuation", "\x80"},
        {"FE", "\xFE"},                        {"FF", "\xFF"},
        {"truncated 2-byte", "\xC3 "},         {"truncated 3-byte", "\xE2\x82 "},
        {"truncated 4-byte", "\xF0\x9F\x98 "},
    };
    const std::string head = "<tree format=\"1\" id=\"t\" start=\"done\">\n  <end id=\"done\" outcome=\"x\" title=\"ok ";
    for (const auto& s : samples) {
        CAPTURE(s.name);
        const std::string xml = head + s.bytes + "\"/>\n</tree>\n";
        const load_result r = load_tree_string(xml);
        INFO(dump(r.problems));
        CHECK(r.loaded == nullptr);
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].code == "invalid-utf8");
        CHECK(r.problems[0].pos.line == 2);
        CHECK(r.problems[0].pos.column == static_cast<int>(head.size() - head.rfind('\n')));  // the first bad byte
        CHECK(find_invalid_utf8(s.bytes).has_value());
        CHECK_FALSE(find_invalid_utf8(neutralise_controls(s.bytes)).has_value());
    }
    SUBCASE("a UTF-16 file is not taken for UTF-8") {
        const std::string utf16("\xFF\xFE<\0t\0r\0e\0e\0/\0>\0", 16);
        const load_result r = load_tree_string(utf16);
        CHECK(r.loaded == nullptr);
        CHECK(count_code(r.problems, "invalid-utf8") + count_code(r.problems, "xml-syntax") == 1);
    }
    SUBCASE("character references cannot smuggle in what raw bytes may not hold") {
        for (const std::string ref : {"&#xD800;", "&#xDFFF;", "&#x110000;", "&#xFFFE;", "&#1;", "&#99999999999;"}) {
            CAPTURE(ref);
            const load_result r = load_tree_string(small_tree("t", "  <step id=\"s\" title=\"a" + ref + "b\" to=\"done\"/>\n", "s"));
            INFO(dump(r.problems));
            CHECK_FALSE(r.ok());
            CHECK(count_code(r.problems, "xml-syntax") == 1);
        }
    }
}

// [SECTION] ids and jumps

TEST_CASE("hostile: ids with path separators never reach the file system") {
    temp_dir dir;
    fs::create_directory(dir.path / "lib");
    // A valid tree just outside the library folder, where "../secret" would resolve.
    dir.write("secret.xml", small_tree("secret", ""));
    dir.write("lib/inside.xml", small_tree("inside", ""));
    const tree_library library({dir.file("lib")});
    REQUIRE(library.get("inside").found != nullptr);
    const std::vector<std::string> ids = {"../secret", "..",  "/etc/passwd", dir.file("secret"), "lib/../secret",
                                          "..\\secret", "a/b", std::string("inside\0x", 8), std::string(129, 'a'), "",
                                          "inside.xml"};
    for (const auto& id : ids) {
        CAPTURE(id);
        const auto found = library.get(id);
        CHECK(found.found == nullptr);
        REQUIRE_FALSE(found.problems.empty());
        CHECK(found.problems[0].level == severity::error);
        CHECK_FALSE(found.problems[0].message.empty());
    }

    SUBCASE("a session jumping to a path-like id is stuck with a reason") {
        load_result r = load_tree_string(small_tree("root", "  <jump id=\"j\" tree=\"inside\" to=\"done\"/>\n", "j"));
        REQUIRE(r.ok());
        r.loaded->nodes[0].tree_ref = "../secret";  // as an editor bug or a hand-built model could
        r.loaded->reindex();
        manual_clock clk;
        session s(r.loaded, &library, clk);
        CHECK_FALSE(s.finished());
        CHECK_FALSE(s.current().stuck.empty());
        CHECK(s.current().stuck.find("../secret") != std::string::npos);
    }
}

TEST_CASE("hostile: jump cycles across files") {
    temp_dir dir;
    // a -> b -> c -> a, each jumping straight from its start node.
    dir.write("a.xml", small_tree("a", "  <jump id=\"go\" tree=\"b\" to=\"done\"/>\n", "go"));
    dir.write("b.xml", small_tree("b", "  <jump id=\"go\" tree=\"c\" to=\"done\"/>\n", "go"));
    dir.write("c.xml", small_tree("c", "  <jump id=\"go\" tree=\"a\" to=\"done\"/>\n", "go"));
    dir.write("self.xml", small_tree("self", "  <jump id=\"go\" tree=\"self\" to=\"done\"/>\n", "go"));
    const tree_library library({dir.path.string()});

    for (const std::string root : {"a", "self"}) {
        CAPTURE(root);
        const auto found = library.get(root);
        REQUIRE(found.found != nullptr);
        const diagnostics problems = validate_tree(*found.found, &library);
        INFO(dump(problems));
        CHECK(count_code(problems, "jump-cycle") >= 1);

        // Running it anyway: the session stops the runaway instead of recursing for ever.
        const auto began = std::chrono::steady_clock::now();
        manual_clock clk;
        session s(found.found, &library, clk);
        CHECK(seconds_since(began) < 20.0 * slow);
        CHECK_FALSE(s.finished());
        CHECK_FALSE(s.current().stuck.empty());
        s.abandon("cycle");
        CHECK(s.status() == session_status::abandoned);
    }
}

// [SECTION] big nodes and deep expressions

TEST_CASE("hostile: a question with 100k choices") {
    const int n = 100'000;
    std::string xml = "<tree format=\"1\" id=\"wide\" start=\"q\">\n  <question id=\"q\">\n";
    for (int i = 0; i < n; ++i)
        xml += "    <choice to=\"" + std::string(i % 2 ? "done" : "other") + "\">Answer " + std::to_string(i) + "</choice>\n";
    xml += "  </question>\n  <end id=\"other\" outcome=\"other\"/>\n  <end id=\"done\" outcome=\"resolved\"/>\n</tree>\n";

    auto began = std::chrono::steady_clock::now();
    const load_result r = load_tree_string(xml, "wide.xml");
    INFO(dump(r.problems));
    REQUIRE(r.ok());
    CHECK(count_code(r.problems, "many-choices") == 1);
    REQUIRE(r.loaded->find("q")->choices.size() == static_cast<std::size_t>(n));

    const diagnostics found = validate_tree(*r.loaded, nullptr);
    CHECK_FALSE(has_errors(found));
    CHECK(count_code(found, "duplicate-label") == 0);

    manual_clock clk;
    session s(r.loaded, nullptr, clk);
    REQUIRE(s.current().choices.size() == static_cast<std::size_t>(n));
    REQUIRE(s.choose(n - 1));
    CHECK(s.outcome() == "resolved");

    const std::string saved = canonical(*r.loaded);
    const load_result again = load_tree_string(saved, "wide-saved.xml");
    REQUIRE(again.ok());
    CHECK(canonical(*again.loaded) == saved);
    CHECK(again.loaded->find("q")->choices.back().label == "Answer " + std::to_string(n - 1));
    CHECK_FALSE(export_json(*r.loaded).empty());
    CHECK(seconds_since(began) < 120.0 * slow);  // everything above; quadratic work would take hours
}

TEST_CASE("hostile: expressions nested 10,000 deep fail cleanly") {
    const std::size_t deep = 10'000;
    const std::vector<std::string> sources = {
        repeat("(", deep) + "1" + repeat(")", deep),
        repeat("not ", deep) + "true",
        repeat("-", deep) + "1",
        repeat("- (", deep) + "1" + repeat(")", deep),
        repeat("(not ", deep) + "f" + repeat(")", deep),
        repeat("(", deep),  // unbalanced too
    };
    for (const auto& src : sources) {
        CAPTURE(src.substr(0, 12));
        const auto parsed = parse_expression(src);
        REQUIRE_FALSE(parsed);
        REQUIRE(parsed.error.has_value());
        CHECK(parsed.error->code == "expr-too-deep");
        CHECK(parsed.error->offset <= src.size());
        const auto list = parse_assignments("n = " + src);
        REQUIRE_FALSE(list);
        CHECK(list.error->code == "expr-too-deep");
    }

    SUBCASE("in a tree: if, set and branch conditions, with positions") {
        const std::string cond = repeat("(", deep) + "n &gt; 1" + repeat(")", deep);
        const std::string xml =
            "<tree format=\"1\" id=\"t\" start=\"q\">\n"
            "  <variables><variable name=\"n\" type=\"number\" default=\"0\"/></variables>\n"
            "  <question id=\"q\">\n"
            "    <choice to=\"l\" if=\"" + cond + "\">a</choice>\n"
            "    <choice to=\"l\" set=\"n = " + repeat("-", deep) + "1\">b</choice>\n"
            "  </question>\n"
            "  <logic id=\"l\"><branch if=\"" + cond + "\" to=\"done\"/><otherwise to=\"done\"/></logic>\n"
            "  <end id=\"done\" outcome=\"x\"/>\n</tree>\n";
        const load_result r = load_tree_string(xml);
        INFO(dump(r.problems));
        CHECK(count_code(r.problems, "expr-too-deep") == 3);
        for (const auto& d : r.problems) {
            if (d.code != "expr-too-deep") continue;
            CHECK(d.pos.line >= 4);
            CHECK(d.pos.line <= 7);
        }
        CHECK_FALSE(r.ok());
    }
    SUBCASE("just under the limit still works end to end") {
        const int ok_depth = max_expression_depth - 1;
        const std::string cond = repeat("(", static_cast<std::size_t>(ok_depth)) + "n &gt;= 0" +
                                 repeat(")", static_cast<std::size_t>(ok_depth));
        const load_result r = load_tree_string(
            "<tree format=\"1\" id=\"t\" start=\"l\"><variables><variable name=\"n\" type=\"number\" default=\"0\"/>"
            "</variables><logic id=\"l\"><branch if=\"" + cond + "\" to=\"done\"/><otherwise to=\"other\"/></logic>"
            "<end id=\"done\" outcome=\"deep\"/><end id=\"other\" outcome=\"x\"/></tree>");
        INFO(dump(r.problems));
        REQUIRE(r.ok());
        manual_clock clk;
        session s(r.loaded, nullptr, clk);
        CHECK(s.outcome() == "deep");
    }
    SUBCASE("a flat chain of 10,000 terms is evaluated or refused, never overflows") {
        const std::string src = "1" + repeat(" + 1", deep - 1);
        const auto parsed = parse_expression(src);
        if (parsed) {
            struct no_vars final : value_scope {
                std::optional<value> value_of(std::string_view) const override { return std::nullopt; }
            };
            const auto v = evaluate(*parsed.result, no_vars{});
            REQUIRE(v.result.has_value());
            CHECK(std::get<double>(*v.result) == static_cast<double>(deep));
        } else {
            CHECK(parsed.error->code == "expr-too-deep");
        }
    }
}

// [SECTION] session log: read-only, full, corrupted

namespace {

event make_event(event_kind kind, int seq, std::int64_t time, std::string node, std::string detail = "") {
    event e;
    e.kind = kind;
    e.sequence = seq;
    e.time_ms = time;
    e.tree_id = "outage";
    e.node = std::move(node);
    e.detail = std::move(detail);
    if (kind == event_kind::end) {
        e.detail = "completed";
        e.outcome = "resolved";
    }
    return e;
}

// Writes one completed session with `notes` note events; returns the number of events.
int write_call(log_writer& w, std::int64_t t0, int notes, std::size_t note_size = 10) {
    session_info info;
    info.tree_id = "outage";
    info.agent = "ana";
    info.started_ms = t0;
    w.begin_session(info);
    int seq = 0;
    w.on_event(make_event(event_kind::start, seq++, t0, "power", "ana"));
    for (int i = 0; i < notes; ++i) w.on_event(make_event(event_kind::note, seq++, t0 + i, "power", std::string(note_size, 'n')));
    w.on_event(make_event(event_kind::end, seq++, t0 + notes + 1, "resolved"));
    return seq;
}

struct read_back {
    log_result result;
    std::size_t sessions = 0;
    std::size_t events = 0;
};

read_back read_all_sessions(const std::string& db) {
    read_back out;
    log_reader reader;
    out.result = reader.open(db);
    if (!out.result) return out;
    out.result = reader.for_each_session({}, [&](const session_record&, const std::vector<event>& events) {
        ++out.sessions;
        out.events += events.size();
    });
    return out;
}

}  // namespace

TEST_CASE("hostile: a read-only session log folder can be reported on, and is not changed") {
    temp_dir dir;
    fs::create_directory(dir.path / "logs");
    const std::string db = dir.file("logs/sessions.db");
    {
        log_writer w;
        REQUIRE(w.open(db));
        write_call(w, 1'700'000'000'000, 3);
    }
    const std::string before = slurp(db);
    const auto listing = [&] {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir.path / "logs")) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    };
    const auto files_before = listing();
    fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    fs::permissions(dir.path / "logs", fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                           fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
    {
        as_unprivileged user;
        const read_back r = read_all_sessions(db);
        // Either it reads, or it says why; it never writes.
        if (r.result) {
            CHECK(r.sessions == 1);
            CHECK(r.events == 5);
        } else {
            CHECK_FALSE(r.result.error.empty());
        }
        log_writer w;
        const log_result opened = w.open(db);
        CHECK_FALSE(opened);
        CHECK_FALSE(opened.error.empty());
        write_call(w, 1'700'000'100'000, 1);  // never throws, never stops the call
        CHECK_FALSE(w.warning().empty());
        CHECK(w.unsaved_rows() > 0);  // not even the spill file can be written here
    }
    CHECK(slurp(db) == before);
    CHECK(listing() == files_before);
}

TEST_CASE("hostile: a full disk while logging loses nothing that was reported saved") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    log_writer w;
    REQUIRE(w.open(db));
    int written = write_call(w, 1'700'000'000'000, 1);
    const auto size_now = fs::file_size(db);
    int during = 0;
    {
        // Room for a few pages more: the database (and its WAL and spill) fill up mid-call.
        file_size_limit full(static_cast<rlim_t>(size_now + 16 * 1024));
        during = write_call(w, 1'700'000'100'000, 200, 2000);
        CHECK_FALSE(w.warning().empty());
    }
    written += during;
    // With room again, everything held back is added; nothing is lost or doubled.
    const log_result replayed = w.replay_spill();
    CHECK_MESSAGE(replayed, replayed.error);
    CHECK(w.warning().empty());
    CHECK(w.unsaved_rows() == 0);
    const read_back r = read_all_sessions(db);
    REQUIRE_MESSAGE(r.result, r.result.error);
    CHECK(r.sessions == 2);
    CHECK(r.events == static_cast<std::size_t>(written));
    log_reader reader;
    REQUIRE(reader.open(db));
    CHECK(reader.check_integrity());
}

TEST_CASE("hostile: a full disk while saving a tree leaves the old file and no temp file") {
    temp_dir dir;
    const auto files = bench::generate_trees({2000, 7, false, true});
    const std::string path = dir.write("big.xml", "old\n");
    const load_result r = load_tree_string(files.root.xml);
    REQUIRE(r.ok());
    std::optional<std::string> err;
    {
        file_size_limit full(64 * 1024);
        err = save_tree_file(*r.loaded, path);
    }
    REQUIRE(err.has_value());
    CHECK(err->find(path) != std::string::npos);
    CHECK(slurp(path) == "old\n");
    CHECK(dir.entries() == std::vector<std::string>{"big.xml"});

    SUBCASE("and a read-only folder likewise") {
        fs::permissions(dir.path, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                      fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
        as_unprivileged user;
        const auto denied = save_tree_file(*r.loaded, path);
        REQUIRE(denied.has_value());
        CHECK(denied->find("cannot write") != std::string::npos);
        CHECK(slurp(path) == "old\n");
        CHECK(dir.entries() == std::vector<std::string>{"big.xml"});
    }
}

TEST_CASE("hostile: corrupted session logs are refused or reported, never crash") {
    temp_dir dir;
    const std::string good = dir.file("good.db");
    {
        log_writer w;
        REQUIRE(w.open(good));
        for (int i = 0; i < 40; ++i) write_call(w, 1'700'000'000'000 + i * 100'000, 5, 300);
    }
    const std::string bytes = slurp(good);
    REQUIRE(bytes.size() > 16 * 1024);

    struct damage {
        const char* name;
        std::string content;
    };
    std::string flipped = bytes;
    for (std::size_t i = 4096; i < flipped.size(); i += 509) flipped[i] = static_cast<char>(~flipped[i]);
    std::string zeroed = bytes;
    std::fill(zeroed.begin() + 4096, zeroed.begin() + 12288, '\0');
    std::string bad_header = bytes;
    bad_header[16] = '\x03';  // page size 0x0300: not a power of two
    const std::vector<damage> cases = {
        {"truncated to half", bytes.substr(0, bytes.size() / 2)},
        {"truncated inside the header", bytes.substr(0, 50)},
        {"bits flipped through every page", flipped},
        {"pages zeroed", zeroed},
        {"impossible page size", bad_header},
        {"empty", ""},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        const std::string db = dir.write(std::string("bad-") + std::to_string(&c - cases.data()) + ".db", c.content);
        log_reader reader;
        const log_result opened = reader.open(db);
        if (!opened) {
            CHECK_FALSE(opened.error.empty());
        } else {
            const log_result integrity = reader.check_integrity();
            if (!integrity) CHECK_FALSE(integrity.error.empty());
            const log_result read = reader.for_each_session({}, [](const session_record&, const std::vector<event>&) {});
            if (!read) CHECK_FALSE(read.error.empty());
        }
        // The writer either works or spills with a warning; the call goes on either way.
        log_writer w;
        const log_result w_opened = w.open(db);
        if (!w_opened) CHECK_FALSE(w.warning().empty());
        write_call(w, 1'800'000'000'000, 1);
    }
}

// [SECTION] mutated generated trees

TEST_CASE("hostile: mutated copies of a generated tree load, validate and round-trip") {
    // A deterministic mini-fuzz that runs in every build: byte edits of a realistic tree.
    const auto files = bench::generate_trees({300, 11, true, true});
    tree_library library;
    for (const auto& sub : files.subtrees) library.add(load_tree_string(sub.xml, sub.id + ".xml").loaded);
    const std::string& base = files.root.xml;
    const char* tokens[] = {"<", ">", "\"", "&", "&#0;", "/>", "</question>", "<choice to=\"x\">y</choice>",
                            "\xC0\xAF", "if=\"(\"", "{", "}", "\n", "id=\"a/b\"", "<!DOCTYPE x>", ""};
    std::uint64_t seed = 12345;
    auto next = [&seed](std::size_t n) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>((seed >> 33) % n);
    };
    int loaded_ok = 0;
    for (int i = 0; i < 150; ++i) {
        std::string xml = base;
        const int edits = 1 + static_cast<int>(next(3));
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = next(xml.size());
            switch (next(4)) {
                case 0: xml.erase(at, next(64)); break;
                case 1: xml.insert(at, tokens[next(std::size(tokens))]); break;
                case 2: xml[at] = static_cast<char>(next(256)); break;
                default: xml.insert(at, xml.substr(next(xml.size()), next(200))); break;
            }
        }
        CAPTURE(i);
        const load_result r = load_tree_string(xml, "mutated.xml");
        for (const auto& d : r.problems) {
            CHECK_FALSE(d.code.empty());
            CHECK_FALSE(d.message.empty());
        }
        if (!r.loaded) continue;
        (void)validate_tree(*r.loaded, &library);
        if (!r.ok()) continue;
        ++loaded_ok;
        const std::string saved = canonical(*r.loaded);
        const load_result again = load_tree_string(saved, "saved.xml");
        INFO(dump(again.problems));
        REQUIRE(again.ok());
        CHECK(canonical(*again.loaded) == saved);
    }
    CHECK(loaded_ok > 0);  // some edits (inside text, say) leave a valid tree
}
