// Canonical saving and atomic file writes.

#include <doctest/doctest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <csignal>
#include <limits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "signpost/load.hpp"
#include "signpost/save.hpp"

namespace fs = std::filesystem;
using namespace signpost;

namespace {

// An expression as the loader would store it; the saver only reads its source.
expression expr(const std::string& source) { return expression(nullptr, source); }

node make_node(node_kind kind, std::string id, std::string title = {}) {
    node n;
    n.kind = kind;
    n.id = std::move(id);
    n.title = std::move(title);
    return n;
}

// The spec's example tree, built in memory: one node of every kind.
tree sample_tree() {
    tree t;
    t.id = "internet-outage";
    t.version = 3;
    t.title = "Home internet outage";
    t.start = "power";
    t.description = "For customers whose home internet is down.";

    variable plan;
    plan.name = "plan";
    plan.type = var_type::choice;
    plan.options = {"basic", "plus", "business"};
    plan.default_text = "basic";
    plan.default_value = value(std::string("basic"));
    variable reboots;
    reboots.name = "reboots";
    reboots.type = var_type::number;
    reboots.default_text = "0";
    reboots.default_value = value(0.0);
    variable account;
    account.name = "account";
    account.type = var_type::text;
    account.label = "Account number";
    t.variables = {plan, reboots, account};

    node power = make_node(node_kind::question, "power", "Router power light");
    power.text = "Ask the customer: is the **power light** on the router lit?";
    power.hint = "Agent-only note.";
    choice yes;
    yes.label = "Yes, it is lit";
    yes.to = "fixed";
    choice no;
    no.label = "No";
    no.to = "reboot";
    no.set_source = "reboots = reboots + 1";
    choice business;
    business.label = "Business line";
    business.to = "tier2";
    business.condition = expr("plan == 'business'");
    power.choices = {yes, no, business};

    node reboot = make_node(node_kind::step, "reboot");
    reboot.to = "acct";
    reboot.text = "Have them unplug the router for 30 seconds.";

    node acct = make_node(node_kind::form, "acct");
    acct.to = "route";
    field f;
    f.variable = "account";
    f.label = "Account number";
    f.required = true;
    f.pattern = "[0-9]{8}";
    acct.fields = {f};

    node route = make_node(node_kind::logic, "route");
    branch b;
    b.to = "tier2";
    b.condition = expr("reboots >= 2");
    route.branches = {b};
    route.otherwise = "verify";

    node verify = make_node(node_kind::jump, "verify");
    verify.tree_ref = "identity-verification";
    verify.to = "fixed";

    node tier2 = make_node(node_kind::escalate, "tier2");
    tier2.team = "Network Tier 2";
    tier2.priority = "high";
    tier2.text = "Hand off: account {account}, {reboots} reboots.";

    node fixed = make_node(node_kind::end, "fixed");
    fixed.outcome = "resolved";

    t.nodes = {power, reboot, acct, route, verify, tier2, fixed};
    t.layout = {{"power", 0, 0}, {"reboot", 240.5, -80}};
    return t;
}

const char* const sample_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<tree format="1" id="internet-outage" version="3" title="Home internet outage" start="power">
  <description>For customers whose home internet is down.</description>

  <variables>
    <variable name="plan" type="choice" options="basic plus business" default="basic"/>
    <variable name="reboots" type="number" default="0"/>
    <variable name="account" type="text" label="Account number"/>
  </variables>

  <question id="power" title="Router power light">
    <text>Ask the customer: is the **power light** on the router lit?</text>
    <hint>Agent-only note.</hint>
    <choice to="fixed">Yes, it is lit</choice>
    <choice to="reboot" set="reboots = reboots + 1">No</choice>
    <choice to="tier2" if="plan == 'business'">Business line</choice>
  </question>

  <step id="reboot" to="acct">
    <text>Have them unplug the router for 30 seconds.</text>
  </step>

  <form id="acct" to="route">
    <field var="account" label="Account number" required="true" pattern="[0-9]{8}"/>
  </form>

  <logic id="route">
    <branch if="reboots &gt;= 2" to="tier2"/>
    <otherwise to="verify"/>
  </logic>

  <jump id="verify" tree="identity-verification" to="fixed"/>

  <escalate id="tier2" team="Network Tier 2" priority="high">
    <text>Hand off: account {account}, {reboots} reboots.</text>
  </escalate>

  <end id="fixed" outcome="resolved"/>

  <layout>
    <pos node="power" x="0" y="0"/>
    <pos node="reboot" x="240.5" y="-80"/>
  </layout>
</tree>
)";

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_plain(const fs::path& p, const std::string& content) {
    std::ofstream out(p, std::ios::binary);
    out << content;
}

// A fresh folder under the system temp folder, removed at the end of the test.
struct temp_dir {
    fs::path path;
    temp_dir() {
        std::string templ = (fs::temp_directory_path() / "signpost-save-XXXXXX").string();
        REQUIRE(::mkdtemp(templ.data()) != nullptr);
        path = templ;
    }
    ~temp_dir() {
        std::error_code ec;
        fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(path)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }
};

}  // namespace

TEST_CASE("save: canonical form of every node kind") {
    CHECK(save_tree_string(sample_tree()) == sample_xml);
}

TEST_CASE("save: tree attributes and optional parts") {
    tree t;
    t.id = "tiny";
    t.title = "Tiny";
    t.start = "done";
    node done = make_node(node_kind::end, "done");
    done.outcome = "resolved";
    t.nodes = {done};

    SUBCASE("nothing optional is written when absent") {
        CHECK(save_tree_string(t) ==
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<tree format=\"1\" id=\"tiny\" version=\"1\" title=\"Tiny\" start=\"done\">\n"
              "  <end id=\"done\" outcome=\"resolved\"/>\n"
              "</tree>\n");
    }
    SUBCASE("allow-find only when true, after start") {
        t.allow_find = true;
        CHECK(save_tree_string(t).find("start=\"done\" allow-find=\"true\">\n") != std::string::npos);
    }
    SUBCASE("escalate always states its priority") {
        node e = make_node(node_kind::escalate, "up");
        e.team = "Tier 2";
        t.nodes.push_back(e);
        CHECK(save_tree_string(t).find("  <escalate id=\"up\" team=\"Tier 2\" priority=\"normal\"/>\n") !=
              std::string::npos);
    }
    SUBCASE("field: required=false and empty label are omitted") {
        node f = make_node(node_kind::form, "f");
        f.to = "done";
        field plain;
        plain.variable = "note";
        plain.placeholder = "anything";
        f.fields = {plain};
        t.nodes.push_back(f);
        CHECK(save_tree_string(t).find("    <field var=\"note\" placeholder=\"anything\"/>\n") !=
              std::string::npos);
    }
    SUBCASE("jump without `to`, variable defaults known only as values") {
        node j = make_node(node_kind::jump, "j");
        j.tree_ref = "billing";
        t.nodes.push_back(j);
        variable flag;
        flag.name = "vip";
        flag.type = var_type::flag;
        flag.default_value = value(true);
        variable n;
        n.name = "count";
        n.type = var_type::number;
        n.default_value = value(2.5);
        t.variables = {flag, n};
        const std::string out = save_tree_string(t);
        CHECK(out.find("  <jump id=\"j\" tree=\"billing\"/>\n") != std::string::npos);
        CHECK(out.find("<variable name=\"vip\" type=\"flag\" default=\"true\"/>") != std::string::npos);
        CHECK(out.find("<variable name=\"count\" type=\"number\" default=\"2.5\"/>") != std::string::npos);
    }
}

TEST_CASE("save: escaping in attributes and text") {
    tree t;
    t.id = "esc";
    t.title = "Quotes \"here\" & <there>\tand\nnewline\r";
    t.start = "q";
    node q = make_node(node_kind::question, "q", "A & B");
    q.text = "Say \"hi\" & <script>alert('x')</script> > 1";
    choice c;
    c.label = "Tom & Jerry's <b>";
    c.to = "q";
    c.condition = expr("a < 2 and b > 'x\"y'");
    q.choices = {c};
    t.nodes = {q};

    const std::string out = save_tree_string(t);
    CHECK(out.find("title=\"Quotes &quot;here&quot; &amp; &lt;there&gt;&#9;and&#10;newline&#13;\"") !=
          std::string::npos);
    CHECK(out.find("<question id=\"q\" title=\"A &amp; B\">") != std::string::npos);
    // Quotes need no escaping in text.
    CHECK(out.find("<text>Say \"hi\" &amp; &lt;script&gt;alert('x')&lt;/script&gt; &gt; 1</text>") !=
          std::string::npos);
    CHECK(out.find("<choice to=\"q\" if=\"a &lt; 2 and b &gt; 'x&quot;y'\">Tom &amp; Jerry's &lt;b&gt;</choice>") !=
          std::string::npos);
    CHECK(out.find("<script>") == std::string::npos);
}

TEST_CASE("save: multi-line text goes two spaces deeper than its element") {
    tree t;
    t.id = "ml";
    t.title = "ml";
    t.start = "s";
    node s = make_node(node_kind::step, "s");
    s.to = "s";
    s.text = "Check these:\n- cable\n  - both ends\n\n1. Then **reboot**";
    s.hint = "one line";
    t.nodes = {s};
    t.description = "Line one\nLine two";
    CHECK(save_tree_string(t) ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<tree format=\"1\" id=\"ml\" version=\"1\" title=\"ml\" start=\"s\">\n"
          "  <description>\n"
          "    Line one\n"
          "    Line two\n"
          "  </description>\n"
          "\n"
          "  <step id=\"s\" to=\"s\">\n"
          "    <text>\n"
          "      Check these:\n"
          "      - cable\n"
          "        - both ends\n"
          "\n"  // a blank line inside the text carries no indentation
          "      1. Then **reboot**\n"
          "    </text>\n"
          "    <hint>one line</hint>\n"
          "  </step>\n"
          "</tree>\n");
}

TEST_CASE("save: layout numbers in shortest round-trip form") {
    tree t;
    t.id = "n";
    t.title = "n";
    t.start = "e";
    node e = make_node(node_kind::end, "e");
    e.outcome = "resolved";
    t.nodes = {e};
    t.layout = {{"e", 0.1, 1e21}, {"e", -0.0, 120.0}, {"e", 1.0 / 3.0, 123456789.0}};
    const std::string out = save_tree_string(t);
    CHECK(out.find("<pos node=\"e\" x=\"0.1\" y=\"1000000000000000000000\"/>") != std::string::npos);
    CHECK(out.find("<pos node=\"e\" x=\"0\" y=\"120\"/>") != std::string::npos);
    CHECK(out.find("<pos node=\"e\" x=\"0.3333333333333333\" y=\"123456789\"/>") != std::string::npos);
    CHECK(std::stod("0.3333333333333333") == 1.0 / 3.0);
}

TEST_CASE("save: atomic write creates and replaces files") {
    temp_dir dir;
    const fs::path target = dir.path / "tree.xml";

    SUBCASE("a new file gets the content") {
        REQUIRE_FALSE(write_file_atomic(target.string(), "first\n"));
        CHECK(read_all(target) == "first\n");
        CHECK(dir.entries() == std::vector<std::string>{"tree.xml"});
    }
    SUBCASE("an existing file is replaced and keeps its mode") {
        write_plain(target, "old content that is longer than the new one\n");
        REQUIRE(::chmod(target.c_str(), 0600) == 0);
        REQUIRE_FALSE(write_file_atomic(target.string(), "new\n"));
        CHECK(read_all(target) == "new\n");
        struct stat st {};
        REQUIRE(::stat(target.c_str(), &st) == 0);
        CHECK((st.st_mode & 07777) == 0600);
        CHECK(dir.entries() == std::vector<std::string>{"tree.xml"});
    }
    SUBCASE("empty content and a relative path") {
        const fs::path old_cwd = fs::current_path();
        fs::current_path(dir.path);
        const auto err = write_file_atomic("rel.xml", "");
        fs::current_path(old_cwd);
        REQUIRE_FALSE(err);
        CHECK(fs::file_size(dir.path / "rel.xml") == 0);
    }
    SUBCASE("save_tree_file writes the canonical text") {
        REQUIRE_FALSE(save_tree_file(sample_tree(), target.string()));
        CHECK(read_all(target) == sample_xml);
    }
}

TEST_CASE("save: text unstorable_text lets through saves and loads back, and what it refuses is never written") {
    auto utf8 = [](char32_t cp) {
        std::string out;
        if (cp < 0x80) out += static_cast<char>(cp);
        else if (cp < 0x800) out += {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
        else if (cp < 0x10000)
            out += {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                    static_cast<char>(0x80 | (cp & 0x3F))};
        else
            out += {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
                    static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
        return out;
    };
    std::vector<std::string> samples;
    for (char32_t cp = 0; cp < 0x80; ++cp) samples.push_back("a" + utf8(cp) + "b");
    for (char32_t cp : {0x85u, 0xA0u, 0x7FFu, 0xD7FFu, 0xE000u, 0xFDD0u, 0xFFFDu, 0xFFFEu, 0xFFFFu, 0x1F600u, 0x10FFFFu})
        samples.push_back("a" + utf8(cp) + "b");
    for (const char* raw : {"\xFF", "\xC0\x80", "\xED\xA0\x80", "\xE2\x82", "\x80"}) samples.push_back(std::string("a") + raw);

    temp_dir dir;
    const fs::path file = dir.path / "t.xml";
    std::size_t refused = 0;
    for (const std::string& text : samples) {
        CAPTURE(text);
        tree t = sample_tree();
        t.nodes[0].title = text;
        t.nodes[0].text = text;
        const auto why = unstorable_text(text);
        const load_result back = load_tree_string(save_tree_string(t), "t.xml");
        write_plain(file, "before\n");
        const auto error = save_tree_file(t, file.string());
        if (!why) {
            REQUIRE(back.ok());
            CHECK(back.loaded->nodes[0].title == text);
            CHECK(back.loaded->nodes[0].text == text);
            CHECK_FALSE(error);
        } else {
            ++refused;
            CHECK_FALSE(back.ok());  // so the saver must not write it
            REQUIRE(error);
            CHECK(error->find("node 'power', title: ") != std::string::npos);
            CHECK(read_all(file) == "before\n");
        }
    }
    // 29 controls (not tab, newline, carriage return), U+FFFE, U+FFFF and 5 broken sequences.
    CHECK(refused == 29 + 2 + 5);

    tree t = sample_tree();
    t.variables[0].options[1] = "pl\x01us";
    CHECK(find_unstorable_text(t) == "variable 'plan', option: holds the control character U+0001, which a tree file "
                                     "cannot hold");
    t = sample_tree();
    t.description = "x\xEF\xBF\xBE";
    CHECK(find_unstorable_text(t) == "the tree's description: holds U+FFFE, a noncharacter a tree file cannot hold");
}

TEST_CASE("save: atomic write goes through links, into pipes, and keeps owner and read-only marks") {
    temp_dir dir;
    const fs::path target = dir.path / "real.xml";

    SUBCASE("a symlink stays a link and its target gets the content") {
        write_plain(target, "old\n");
        fs::create_symlink("real.xml", dir.path / "link.xml");
        REQUIRE_FALSE(write_file_atomic((dir.path / "link.xml").string(), "new\n"));
        CHECK(fs::is_symlink(dir.path / "link.xml"));
        CHECK(read_all(target) == "new\n");
    }
    SUBCASE("a dangling symlink creates the file it points to") {
        fs::create_symlink("real.xml", dir.path / "link.xml");
        REQUIRE_FALSE(write_file_atomic((dir.path / "link.xml").string(), "made\n"));
        CHECK(fs::is_symlink(dir.path / "link.xml"));
        CHECK(read_all(target) == "made\n");
    }
    SUBCASE("a chain of links is followed to its end, a loop is refused") {
        fs::create_symlink("b.xml", dir.path / "a.xml");
        fs::create_symlink("real.xml", dir.path / "b.xml");
        REQUIRE_FALSE(write_file_atomic((dir.path / "a.xml").string(), "end of the chain\n"));
        CHECK(fs::is_symlink(dir.path / "a.xml"));
        CHECK(fs::is_symlink(dir.path / "b.xml"));
        CHECK(read_all(target) == "end of the chain\n");
        fs::create_symlink("y.xml", dir.path / "x.xml");
        fs::create_symlink("x.xml", dir.path / "y.xml");
        const auto err = write_file_atomic((dir.path / "x.xml").string(), "loop\n");
        REQUIRE(err);
        CHECK(err->find("Too many levels of symbolic links") != std::string::npos);
        CHECK(fs::is_symlink(dir.path / "x.xml"));
        CHECK(fs::is_symlink(dir.path / "y.xml"));
    }
    SUBCASE("a link another user planted in a shared sticky folder is not followed") {
        if (::geteuid() != 0) {
            MESSAGE("not root: cannot give a link to another user; check skipped");
            return;
        }
        const fs::path shared = dir.path / "shared";
        fs::create_directory(shared);
        REQUIRE(::chmod(shared.c_str(), 01777) == 0);
        write_plain(target, "precious\n");
        fs::create_symlink(target, shared / "out.dot");
        REQUIRE(::lchown((shared / "out.dot").c_str(), 65534, 65534) == 0);
        const auto err = write_file_atomic((shared / "out.dot").string(), "overwritten\n");
        REQUIRE(err);
        CHECK(err->find("owned by another user; not followed") != std::string::npos);
        CHECK(read_all(target) == "precious\n");
        // The same link of one's own is followed.
        REQUIRE(::lchown((shared / "out.dot").c_str(), 0, 0) == 0);
        REQUIRE_FALSE(write_file_atomic((shared / "out.dot").string(), "mine\n"));
        CHECK(read_all(target) == "mine\n");
    }
    SUBCASE("a FIFO is written into, not replaced") {
        const fs::path fifo = dir.path / "out.pipe";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        std::string received;
        std::thread reader([&] { received = read_all(fifo); });
        const auto err = write_file_atomic(fifo.string(), "through the pipe\n");
        reader.join();
        REQUIRE_FALSE(err);
        CHECK(received == "through the pipe\n");
        CHECK(fs::is_fifo(fifo));
        CHECK(dir.entries() == std::vector<std::string>{"out.pipe"});
    }
    SUBCASE("a file nobody may write is refused and kept, even for root") {
        write_plain(target, "keep\n");
        REQUIRE(::chmod(target.c_str(), 0444) == 0);
        const auto err = write_file_atomic(target.string(), "new\n");
        REQUIRE(err);
        CHECK(err->find("read-only") != std::string::npos);
        CHECK(read_all(target) == "keep\n");
        CHECK(dir.entries() == std::vector<std::string>{"real.xml"});
    }
    SUBCASE("the owner and group of a replaced file stay (when this user may keep them)") {
        write_plain(target, "old\n");
        if (::geteuid() != 0) {
            MESSAGE("not root: only root can hand a file to another user; owner check skipped");
            return;
        }
        REQUIRE(::chown(target.c_str(), 65534, 65534) == 0);
        REQUIRE_FALSE(write_file_atomic(target.string(), "new\n"));
        struct stat st {};
        REQUIRE(::stat(target.c_str(), &st) == 0);
        CHECK(st.st_uid == 65534u);
        CHECK(st.st_gid == 65534u);
        CHECK(read_all(target) == "new\n");
    }
}

TEST_CASE("save: atomic write failures leave no partial or temp files") {
    temp_dir dir;

    SUBCASE("missing folder") {
        const std::string path = (dir.path / "nope" / "tree.xml").string();
        const auto err = write_file_atomic(path, "x");
        REQUIRE(err);
        CHECK(*err == "cannot write '" + path + "': No such file or directory");
        CHECK(dir.entries().empty());
    }
    SUBCASE("the target is a folder") {
        fs::create_directory(dir.path / "tree.xml");
        write_plain(dir.path / "tree.xml" / "inside", "keep");
        const auto err = write_file_atomic((dir.path / "tree.xml").string(), "x");
        REQUIRE(err);
        CHECK(err->find("cannot write '") == 0);
        CHECK(dir.entries() == std::vector<std::string>{"tree.xml"});
        CHECK(read_all(dir.path / "tree.xml" / "inside") == "keep");
    }
    SUBCASE("a write that fails half way keeps the old file") {
        // A file size limit makes write() fail part way, even for root.
        const fs::path target = dir.path / "tree.xml";
        write_plain(target, "old\n");
        rlimit old_limit{};
        REQUIRE(::getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
        auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = old_limit;
        small.rlim_cur = 4096;
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
        const auto err = write_file_atomic(target.string(), std::string(100000, 'x'));
        ::setrlimit(RLIMIT_FSIZE, &old_limit);
        std::signal(SIGXFSZ, old_handler);
        REQUIRE(err);
        CHECK(*err == "cannot write '" + target.string() + "': File too large");
        CHECK(read_all(target) == "old\n");
        CHECK(dir.entries() == std::vector<std::string>{"tree.xml"});
    }
    SUBCASE("a read-only folder") {
        const fs::path target = dir.path / "tree.xml";
        write_plain(target, "old\n");
        REQUIRE(::chmod(dir.path.c_str(), 0555) == 0);
        // root ignores folder permissions: act as "nobody" for the write (the saved
        // set-user-id lets root come back).
        const bool as_root = ::geteuid() == 0;
        if (as_root) REQUIRE(::seteuid(65534) == 0);
        const auto err = write_file_atomic(target.string(), "new\n");
        if (as_root) REQUIRE(::seteuid(0) == 0);
        ::chmod(dir.path.c_str(), 0755);
        REQUIRE(err);
        // The folder is named: the file itself may well be writable.
        CHECK(*err == "cannot write '" + target.string() + "': the folder '" + dir.path.string() +
                          "' does not let this user create files in it (Permission denied); the file is replaced by "
                          "writing a new one beside it, so the folder must be writable");
        CHECK(read_all(target) == "old\n");
        CHECK(dir.entries() == std::vector<std::string>{"tree.xml"});
    }
}

// [round trip] --------------------------------------------------------------------

namespace {

// Field-by-field equality of two trees. Source positions are compared only when asked:
// they legitimately move when a hand-written file is first saved in canonical form.
void check_same_expression(const expression& a, const expression& b) {
    CHECK(a.source() == b.source());
    CHECK(a.empty() == b.empty());
}

void check_trees_equal(const tree& a, const tree& b, bool positions) {
    CHECK(a.format == b.format);
    CHECK(a.id == b.id);
    CHECK(a.version == b.version);
    CHECK(a.title == b.title);
    CHECK(a.start == b.start);
    CHECK(a.description == b.description);
    CHECK(a.allow_find == b.allow_find);
    if (positions) CHECK(a.pos == b.pos);

    REQUIRE(a.variables.size() == b.variables.size());
    for (std::size_t i = 0; i < a.variables.size(); ++i) {
        const variable& x = a.variables[i];
        const variable& y = b.variables[i];
        CAPTURE(x.name);
        CHECK(x.name == y.name);
        CHECK(x.type == y.type);
        CHECK(x.options == y.options);
        CHECK(x.default_text == y.default_text);
        CHECK(x.default_value == y.default_value);
        CHECK(x.label == y.label);
        if (positions) CHECK(x.pos == y.pos);
    }

    REQUIRE(a.nodes.size() == b.nodes.size());
    for (std::size_t i = 0; i < a.nodes.size(); ++i) {
        const node& x = a.nodes[i];
        const node& y = b.nodes[i];
        CAPTURE(x.id);
        CHECK(x.kind == y.kind);
        CHECK(x.id == y.id);
        CHECK(x.title == y.title);
        CHECK(x.text == y.text);
        CHECK(x.hint == y.hint);
        CHECK(x.otherwise == y.otherwise);
        CHECK(x.to == y.to);
        CHECK(x.tree_ref == y.tree_ref);
        CHECK(x.team == y.team);
        CHECK(x.priority == y.priority);
        CHECK(x.outcome == y.outcome);
        if (positions) {
            CHECK(x.pos == y.pos);
            CHECK(x.attr_pos == y.attr_pos);
        }
        REQUIRE(x.choices.size() == y.choices.size());
        for (std::size_t k = 0; k < x.choices.size(); ++k) {
            const choice& c = x.choices[k];
            const choice& d = y.choices[k];
            CHECK(c.label == d.label);
            CHECK(c.to == d.to);
            REQUIRE(c.condition.has_value() == d.condition.has_value());
            if (c.condition) check_same_expression(*c.condition, *d.condition);
            CHECK(c.set_source == d.set_source);
            REQUIRE(c.sets.size() == d.sets.size());
            for (std::size_t s = 0; s < c.sets.size(); ++s) {
                CHECK(c.sets[s].variable == d.sets[s].variable);
                CHECK(c.sets[s].variable_offset == d.sets[s].variable_offset);
                check_same_expression(c.sets[s].value, d.sets[s].value);
            }
            if (positions) CHECK(c.pos == d.pos);
        }
        REQUIRE(x.fields.size() == y.fields.size());
        for (std::size_t k = 0; k < x.fields.size(); ++k) {
            const field& f = x.fields[k];
            const field& g = y.fields[k];
            CHECK(f.variable == g.variable);
            CHECK(f.label == g.label);
            CHECK(f.required == g.required);
            CHECK(f.pattern == g.pattern);
            CHECK(f.placeholder == g.placeholder);
            if (positions) CHECK(f.pos == g.pos);
        }
        REQUIRE(x.branches.size() == y.branches.size());
        for (std::size_t k = 0; k < x.branches.size(); ++k) {
            CHECK(x.branches[k].to == y.branches[k].to);
            check_same_expression(x.branches[k].condition, y.branches[k].condition);
            if (positions) CHECK(x.branches[k].pos == y.branches[k].pos);
        }
    }

    REQUIRE(a.layout.size() == b.layout.size());
    for (std::size_t i = 0; i < a.layout.size(); ++i) {
        CHECK(a.layout[i].node == b.layout[i].node);
        CHECK(a.layout[i].x == b.layout[i].x);
        CHECK(a.layout[i].y == b.layout[i].y);
    }
}

std::shared_ptr<tree> must_load(std::string_view xml) {
    load_result r = load_tree_string(xml, "round-trip.xml");
    for (const auto& d : r.problems) MESSAGE(format(d));
    REQUIRE(r.ok());
    return r.loaded;
}

// load -> save -> load gives the same tree, and saving again gives the same bytes.
void check_round_trip(std::string_view xml) {
    const auto first = must_load(xml);
    const std::string saved = save_tree_string(*first);
    CAPTURE(saved);
    const auto second = must_load(saved);
    check_trees_equal(*first, *second, false);
    const std::string saved_again = save_tree_string(*second);
    CHECK(saved_again == saved);
    // The canonical text loads to the very same positions, too.
    check_trees_equal(*second, *must_load(saved_again), true);
}

}  // namespace

TEST_CASE("save: a canonical file is reproduced byte for byte") {
    const auto t = must_load(sample_xml);
    CHECK(save_tree_string(*t) == sample_xml);
    check_trees_equal(*t, *must_load(save_tree_string(sample_tree())), true);
    check_round_trip(sample_xml);
}

TEST_CASE("save: round trip of a hand-written file with every node kind") {
    // Any child order, odd spacing, single quotes, CDATA, indented text: all normalised.
    const char* xml = R"(<?xml version="1.0"?>
<tree start = 'power' title="Home internet outage" id="internet-outage" format="1" allow-find="true" version="3">
  <question title="Router power light" id="power">
      <hint>Agent-only note shown beside the text.</hint>
      <text>
          Ask the customer: is the **power light** on the router lit?
      </text>
      <choice set="reboots = reboots + 1" to="reboot">   No   </choice>
      <choice to="lights">Yes, it is lit</choice>
      <choice if="  plan == 'business' " to="tier2"><![CDATA[Business <line>, down & out]]></choice>
  </question>
  <variables>
    <variable label="Plan" default="basic" options="basic plus business" type="choice" name="plan"/>
    <variable name="reboots" type="number" default="0"/>
    <variable name="account" type="text" label="Account number"/>
    <variable name="vip" type="flag" default="false"/>
  </variables>
  <description>
     Line one of the description.
       Indented line.
  </description>
  <step id="reboot" to="power"><text>Have them unplug the router for 30 seconds.</text></step>
  <step id="lights" to="acct"/>
  <form id="acct" to="route"><field var="account" required="true" pattern="[0-9]{8}" placeholder="8 digits"/><field var="plan" required="false"/></form>
  <logic id="route"><branch if="reboots >= 2" to="tier2"/><branch if="vip" to="verify"/><otherwise to="verify"/></logic>
  <logic id="route2"><branch if="not vip" to="fixed"/></logic>
  <jump id="verify" tree="identity-verification" to="fixed"/>
  <jump id="bye" tree="survey"/>
  <escalate id="tier2" team="Network Tier 2" priority="high"><text>Hand off: account {account}, {reboots} reboots.</text></escalate>
  <escalate id="tier1" team="Tier 1"/>
  <end id="fixed" outcome="resolved"><text>Thank the customer.</text></end>
  <layout><pos node="power" x="0" y="-0"/><pos node="reboot" y="1e3" x="12.25"/><pos node="fixed" x="0.1" y="-7"/></layout>
</tree>
)";
    check_round_trip(xml);
    const auto t = must_load(xml);
    const std::string saved = save_tree_string(*t);
    CHECK(saved.find("<tree format=\"1\" id=\"internet-outage\" version=\"3\" title=\"Home internet outage\" "
                     "start=\"power\" allow-find=\"true\">") != std::string::npos);
    CHECK(saved.find("<choice to=\"tier2\" if=\"plan == 'business'\">Business &lt;line&gt;, down &amp; out</choice>") !=
          std::string::npos);
    CHECK(saved.find("<pos node=\"reboot\" x=\"12.25\" y=\"1000\"/>") != std::string::npos);
    // Canonical order: description, variables, nodes in file order, layout.
    const auto at = [&](const char* s) { return saved.find(s); };
    CHECK(at("<description>") < at("<variables>"));
    CHECK(at("<variables>") < at("<question id=\"power\""));
    CHECK(at("<question id=\"power\"") < at("<step id=\"reboot\""));
    CHECK(at("<end id=\"fixed\"") < at("<layout>"));
    CHECK(at("<text>") < at("<hint>"));
}

TEST_CASE("save: round trip of tricky text") {
    const char* xml = R"(<tree format="1" id="tricky" title="Say &quot;hi&quot; &amp; &lt;bye&gt;&#10;second line&#9;tab" start="q">
  <description>Unicode: café — ✓ 日本語 🎧 and {{literal braces}}</description>
  <variables><variable name="name" type="text" label="Caller's &quot;name&quot;"/></variables>
  <question id="q" title="&lt;script&gt;alert(1)&lt;/script&gt;">
    <text>
      Checklist for {name}:
      - **cables** &amp; power
        - both ends, "firmly"
          - really

      1. then <![CDATA[<script>alert('x')</script>]]>
         continued under the item
    </text>
    <hint>  Leading spaces are indentation, &amp; go.  </hint>
    <choice to="e" set="name = 'Tom &amp; co &lt;x&gt; &quot;q&quot;'">Tom &amp; Jerry "quoted"</choice>
    <choice to="e" if="name == 'a&#9;b'">Tab	inside</choice>
  </question>
  <end id="e" outcome="resolved"><text>
        Indented block
      less indented
  </text></end>
</tree>)";
    check_round_trip(xml);
    const auto t = must_load(xml);
    const node& q = t->nodes[0];
    CHECK(t->title == "Say \"hi\" & <bye>\nsecond line\ttab");
    CHECK(q.text ==
          "Checklist for {name}:\n- **cables** & power\n  - both ends, \"firmly\"\n    - really\n\n"
          "1. then <script>alert('x')</script>\n   continued under the item");
    CHECK(t->nodes[1].text == "  Indented block\nless indented");
    const std::string saved = save_tree_string(*t);
    CHECK(saved.find("title=\"Say &quot;hi&quot; &amp; &lt;bye&gt;&#10;second line&#9;tab\"") != std::string::npos);
    CHECK(saved.find("<script>") == std::string::npos);
    CHECK(saved.find("Unicode: café — ✓ 日本語 🎧 and {{literal braces}}") != std::string::npos);
}

TEST_CASE("save: every sample tree round-trips") {
    int count = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(SIGNPOST_SOURCE_DIR) / "trees")) {
        if (entry.path().extension() != ".xml") continue;
        CAPTURE(entry.path().string());
        ++count;
        check_round_trip(read_all(entry.path()));
    }
    CHECK(count > 0);
}

// The editor opens a broken file and saves it. That first save may drop what could not be
// read (the editor says so first); saving what it wrote must then lose nothing more.
std::string second_save_difference(std::string_view xml) {
    const load_result first = load_tree_string(xml, "broken.xml");
    if (!first.loaded) return {};
    const std::string saved = save_tree_string(*first.loaded);
    const load_result again = load_tree_string(saved, "saved.xml");
    if (!again.loaded) return "the first save does not open:\n" + saved;
    const std::string resaved = save_tree_string(*again.loaded);
    return resaved == saved ? std::string() : "first save:\n" + saved + "\nsecond save:\n" + resaved;
}

TEST_CASE("save: a broken file loses nothing more on its second save") {
    int count = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(SIGNPOST_TEST_DATA) / "broken")) {
        if (entry.path().extension() != ".xml") continue;
        ++count;
        CAPTURE(entry.path().string());
        CHECK(second_save_difference(read_all(entry.path())) == "");
    }
    CHECK(count > 40);

    SUBCASE("options of a variable whose type is misspelt are kept") {
        const std::string xml = R"(<tree format="1" id="t" start="a">
  <variables><variable name="plan" type="chioce" options="basic plus" default="basic"/></variables>
  <end id="a" outcome="resolved"/>
</tree>)";
        const load_result loaded = load_tree_string(xml, "t.xml");
        REQUIRE(loaded.loaded);
        CHECK(has_errors(loaded.problems));
        CHECK(loaded.loaded->variables.at(0).options == std::vector<std::string>{"basic", "plus"});
        CHECK(second_save_difference(xml) == "");
        // Put right, the list is there to use.
        const load_result fixed = load_tree_string(std::regex_replace(save_tree_string(*loaded.loaded),
                                                                      std::regex("type=\"text\""), "type=\"choice\""),
                                                   "t.xml");
        CHECK(fixed.ok());
    }
    SUBCASE("a <pos> that names no node is dropped, not saved as node=\"\"") {
        const std::string xml = R"(<tree format="1" id="t" start="a">
  <end id="a" outcome="resolved"/>
  <layout><pos node="a" x="1" y="2"/><pos x="3" y="4"/><pos nodE="a" x="5" y="6"/></layout>
</tree>)";
        const load_result loaded = load_tree_string(xml, "t.xml");
        REQUIRE(loaded.loaded);
        CHECK(has_errors(loaded.problems));
        REQUIRE(loaded.loaded->layout.size() == 1);
        CHECK(loaded.loaded->layout[0].node == "a");
        CHECK(loaded.loaded->layout[0].x == 1);
        CHECK(save_tree_string(*loaded.loaded).find("node=\"\"") == std::string::npos);
        CHECK(second_save_difference(xml) == "");
    }
}

TEST_CASE("save: save_tree_file then load_tree_file gives the same tree") {
    temp_dir dir;
    const auto t = must_load(sample_xml);
    const std::string path = (dir.path / "internet-outage.xml").string();
    REQUIRE_FALSE(save_tree_file(*t, path));
    const load_result back = load_tree_file(path);
    REQUIRE(back.ok());
    check_trees_equal(*t, *back.loaded, true);
    CHECK(dir.entries() == std::vector<std::string>{"internet-outage.xml"});
}

TEST_CASE("save: layout coordinates are plain decimals that load back the same") {
    // Any spelling reads in; the canonical one is the shortest plain decimal, never "-0".
    const char* xml = R"(<tree format="1" id="lay" start="e">
  <end id="e" outcome="resolved"/>
  <end id="f" outcome="resolved"/>
  <end id="g" outcome="resolved"/>
  <end id="h" outcome="resolved"/>
  <layout>
    <pos node="e" x="1e5" y="-2.5"/>
    <pos node="f" x="0.125" y="1234567.75"/>
    <pos node="g" x="-0" y="-100000"/>
    <pos node="h" x="1E-7" y="2.5e6"/>
  </layout>
</tree>
)";
    const auto first = must_load(xml);
    const std::string saved = save_tree_string(*first);
    CAPTURE(saved);
    CHECK(saved.find("<pos node=\"e\" x=\"100000\" y=\"-2.5\"/>") != std::string::npos);
    CHECK(saved.find("<pos node=\"f\" x=\"0.125\" y=\"1234567.75\"/>") != std::string::npos);
    CHECK(saved.find("<pos node=\"g\" x=\"0\" y=\"-100000\"/>") != std::string::npos);
    CHECK(saved.find("<pos node=\"h\" x=\"0.0000001\" y=\"2500000\"/>") != std::string::npos);

    const auto second = must_load(saved);
    REQUIRE(second->layout.size() == 4);
    CHECK(second->layout[0].x == 100000.0);
    CHECK(second->layout[0].y == -2.5);
    CHECK(second->layout[1].x == 0.125);
    CHECK(second->layout[1].y == 1234567.75);
    CHECK(second->layout[2].x == 0.0);
    CHECK_FALSE(std::signbit(second->layout[2].x));
    CHECK(second->layout[2].y == -100000.0);
    CHECK(second->layout[3].x == 1e-7);
    CHECK(second->layout[3].y == 2.5e6);
    check_round_trip(xml);
    CHECK(save_tree_string(*second) == saved);  // already canonical: fmt --check passes
}

TEST_CASE("save: extreme layout coordinates stay plain and exact") {
    tree t;
    t.id = "x";
    t.start = "e0";
    const std::vector<double> values{100000.0,
                                     -100000.0,
                                     1e15,
                                     1e16 + 2,
                                     123456789012345680000.0,
                                     0.1 + 0.2,
                                     -1e-5,
                                     std::numeric_limits<double>::max(),
                                     std::numeric_limits<double>::lowest(),
                                     std::numeric_limits<double>::min(),
                                     std::numeric_limits<double>::denorm_min(),
                                     -std::numeric_limits<double>::denorm_min()};
    for (double v : values) {
        // One node per position: the loader refuses a node placed twice.
        node e = make_node(node_kind::end, "e" + std::to_string(t.nodes.size()));
        e.outcome = "resolved";
        t.layout.push_back({e.id, v, -v});
        t.nodes.push_back(std::move(e));
    }
    t.reindex();
    const std::string out = save_tree_string(t);
    std::size_t at = 0;
    std::vector<double> read;
    for (;;) {
        at = out.find("<pos ", at);
        if (at == std::string::npos) break;
        for (const char* axis : {" x=\"", " y=\""}) {
            const std::size_t b = out.find(axis, at) + 4;
            const std::string text = out.substr(b, out.find('"', b) - b);
            CAPTURE(text);
            CHECK(text.find_first_not_of("-.0123456789") == std::string::npos);  // no exponent, no inf/nan
            CHECK(text != "-0");
            // Shortest: no trailing zeros after a point, no point without digits after it.
            if (text.find('.') != std::string::npos) CHECK(text.back() != '0');
            CHECK(text.back() != '.');
            double d = 0;
            const auto res = std::from_chars(text.data(), text.data() + text.size(), d);
            CHECK(res.ptr == text.data() + text.size());
            read.push_back(d);
        }
        ++at;
    }
    REQUIRE(read.size() == 2 * values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        CAPTURE(values[i]);
        CHECK(read[2 * i] == values[i]);
        CHECK(read[2 * i + 1] == -values[i]);
    }
    // And the loader reads every one of them back (x/y must be finite numbers).
    check_round_trip(out);
}

TEST_CASE("save: a position that is not a finite number is left out, so the file loads") {
    tree t;
    t.id = "x";
    t.start = "e0";
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    for (const auto& [x, y] : std::vector<std::pair<double, double>>{{10, 20}, {nan, 5}, {5, -inf}, {inf, nan}}) {
        node e = make_node(node_kind::end, "e" + std::to_string(t.nodes.size()));
        e.outcome = "resolved";
        t.layout.push_back({e.id, x, y});
        t.nodes.push_back(std::move(e));
    }
    t.reindex();
    const std::string out = save_tree_string(t);
    CHECK(out.find("nan") == std::string::npos);
    CHECK(out.find("inf") == std::string::npos);
    CHECK(out.find("<pos node=\"e0\" x=\"10\" y=\"20\"/>") != std::string::npos);
    const load_result back = load_tree_string(out, "x.xml");
    REQUIRE_MESSAGE(back.ok(), out);
    REQUIRE(back.loaded->layout.size() == 1);
    CHECK(back.loaded->layout[0].node == "e0");

    // Without any finite position there is no layout element at all.
    t.layout.erase(t.layout.begin());
    CHECK(save_tree_string(t).find("<layout") == std::string::npos);
}
