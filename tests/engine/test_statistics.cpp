// Path statistics: logs built by driving real sessions with a fixed clock, figures checked
// exactly (counts, dwell times, shares, paths), in the API and in the JSON and CSV output.

#include "signpost/statistics.hpp"
#include "signpost/text.hpp"

#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "signpost/clock.hpp"
#include "signpost/duration_sketch.hpp"
#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/log_generator.hpp"
#include "signpost/report_format.hpp"
#include "signpost/session.hpp"
#include "signpost/session_log.hpp"
#include "signpost/utc_time.hpp"

namespace fs = std::filesystem;
using namespace signpost;

namespace {

constexpr std::int64_t t0 = 1'700'000'000'000;  // 2023-11-14 22:13:20 UTC

struct temp_dir {
    fs::path path;
    temp_dir() {
        std::string tmpl = (fs::temp_directory_path() / "signpost-stats-XXXXXX").string();
        REQUIRE(mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

// Version 2 of a router script: the current file.
const char* router_v2 = R"(<tree format="1" id="router" version="2" title="Router check" start="power">
  <variables>
    <variable name="reboots" type="number" default="0"/>
    <variable name="account" type="text"/>
  </variables>
  <question id="power" title="Power light">
    <text>Is the power light on?</text>
    <choice to="fixed">Yes</choice>
    <choice to="reboot" set="reboots = reboots + 1">No</choice>
  </question>
  <step id="reboot" title="Reboot" to="route"><text>Unplug it for 30 seconds.</text></step>
  <logic id="route"><branch if="reboots &gt;= 2" to="acct"/><otherwise to="power"/></logic>
  <form id="acct" title="Account" to="tier2"><field var="account" required="true" pattern="[0-9]{4}"/></form>
  <escalate id="tier2" team="Network Tier 2"><text>Account {account}</text></escalate>
  <end id="fixed" title="Fixed" outcome="resolved"><text>Thanks.</text></end>
</tree>
)";

// Version 1 asked about the lights first; `lights` is gone in version 2.
const char* router_v1 = R"(<tree format="1" id="router" version="1" title="Router check" start="power">
  <question id="power" title="Power light">
    <text>Is the power light on?</text>
    <choice to="lights">Yes</choice>
    <choice to="fixed">No</choice>
  </question>
  <question id="lights" title="Other lights">
    <text>And the others?</text>
    <choice to="fixed">All fine</choice>
  </question>
  <end id="fixed" outcome="resolved"><text>Thanks.</text></end>
</tree>
)";

std::shared_ptr<const tree> load(const char* xml, const std::string& name) {
    load_result r = load_tree_string(xml, name);
    REQUIRE_MESSAGE(r.ok(), (r.problems.empty() ? std::string() : format(r.problems.front())));
    return r.loaded;
}

session_info info_for(const tree& t, const char* xml, const std::string& agent, std::int64_t start,
                      std::string id = {}) {
    session_info info;
    info.id = std::move(id);
    info.tree_id = t.id;
    info.tree_version = t.version;
    info.tree_hash = content_hash(xml);
    info.agent = agent;
    info.started_ms = start;
    return info;
}

// The router log used by most cases (times relative to t0, durations in ms):
//  S1 ana  v2 +0      power 4000 -> Yes -> fixed                      completed (4000)
//  S2 bo   v2 +60000  power 6000 -> No -> reboot 30000 -> route -> power 2000, back,
//                     reboot 10000 -> route -> power 5000 -> No -> reboot 20000 -> route
//                     -> acct 8000 -> tier2                            escalated (81000)
//  S3 ana  v2 +120000 power 3000, abandoned                           abandoned (3000)
//  S4 ana  v1 +180000 power 7000 -> lights 9000 -> fixed               completed (16000)
//  S5 cy   v2 +240000 power 5000 -> reboot 1000, then the player died  writer lost
// Starts a session of `t` in `w` (its events follow from a session sinking into `w`).
void begin_logged(log_writer& w, const tree& t) {
    session_info info;
    info.tree_id = t.id;
    info.tree_version = t.version;
    w.begin_session(info);
}

// Runs SQL on a log file (tests edit logs the way a damaged or older log would be).
void run_sql(const std::string& db, const std::string& sql) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &error);
    CHECK_MESSAGE(rc == SQLITE_OK, (error ? error : ""));
    sqlite3_free(error);
    sqlite3_close(raw);
}

// The reports of a log file, read through trails or (trails = false) the events table.
std::vector<tree_report> reports_of(const std::string& db, const statistics_options& o, bool trails = true) {
    log_read_options ro;
    ro.read_trails = trails;
    log_reader reader;
    REQUIRE(reader.open(db, ro));
    std::vector<tree_report> out;
    REQUIRE(collect_reports(reader, {}, o, out));
    return out;
}

// The sample trees folder as a library, and the internet outage script loaded from it.
struct sample_trees {
    std::string folder = std::string(SIGNPOST_SOURCE_DIR) + "/trees";
    tree_library library{{folder}};
    load_result outage = load_tree_file(folder + "/internet-outage.xml");
    sample_trees() { REQUIRE(outage.ok()); }
};

struct router_log {
    temp_dir dir;
    std::string db = dir.file("sessions.db");
    std::shared_ptr<const tree> v2 = load(router_v2, "router.xml");
    std::shared_ptr<const tree> v1 = load(router_v1, "router-v1.xml");

    router_log() {
        manual_clock clk(t0);
        {
            log_writer w;
            REQUIRE(w.open(db));
            w.begin_session(info_for(*v2, router_v2, "ana", clk.now_ms(), "s5-router"));
            {
                session s(v2, nullptr, clk, &w, "ana");
                clk.advance(4000);
                REQUIRE(s.choose(0));
                REQUIRE(s.status() == session_status::completed);
            }
            clk.set(t0 + 60'000);
            w.begin_session(info_for(*v2, router_v2, "bo", clk.now_ms(), "s4-router"));
            {
                session s(v2, nullptr, clk, &w, "bo");
                clk.advance(6000);
                REQUIRE(s.choose(1));
                clk.advance(30'000);
                REQUIRE(s.next());
                REQUIRE(s.current().node_ptr->id == "power");
                clk.advance(2000);
                REQUIRE(s.back());
                REQUIRE(s.current().node_ptr->id == "reboot");
                clk.advance(10'000);
                REQUIRE(s.next());
                clk.advance(5000);
                REQUIRE(s.choose(1));
                clk.advance(20'000);
                REQUIRE(s.next());
                REQUIRE(s.current().node_ptr->id == "acct");
                clk.advance(8000);
                REQUIRE(s.submit({{"account", "1234"}}));
                REQUIRE(s.status() == session_status::escalated);
            }
            clk.set(t0 + 120'000);
            w.begin_session(info_for(*v2, router_v2, "ana", clk.now_ms(), "s3-router"));
            {
                session s(v2, nullptr, clk, &w, "ana");
                clk.advance(3000);
                s.abandon("customer hung up");
            }
            clk.set(t0 + 180'000);
            w.begin_session(info_for(*v1, router_v1, "ana", clk.now_ms(), "s2-router"));
            {
                session s(v1, nullptr, clk, &w, "ana");
                clk.advance(7000);
                REQUIRE(s.choose(0));
                clk.advance(9000);
                REQUIRE(s.choose(0));
                REQUIRE(s.status() == session_status::completed);
            }
            REQUIRE(w.warning().empty());
        }
        // A player that crashed mid-call leaves its session active: the bulk writer stores
        // a session without an end event just like that.
        log_bulk_writer bulk;
        REQUIRE(bulk.open(db));
        clk.set(t0 + 240'000);
        bulk.begin_session(info_for(*v2, router_v2, "cy", clk.now_ms(), "s1-router"));
        {
            session s(v2, nullptr, clk, &bulk, "cy");
            clk.advance(5000);
            REQUIRE(s.choose(1));
            clk.advance(1000);
        }
        REQUIRE(bulk.finish());
    }

    // Reads the log as of ten hours after t0 (the crashed session is long silent).
    std::vector<tree_report> report(statistics_options options = {}, log_filter filter = {}) const {
        manual_clock later(t0 + 10 * 3600 * 1000);
        log_read_options ro;
        ro.now = &later;
        log_reader reader;
        REQUIRE(reader.open(db, ro));
        if (!options.current) {
            options.current = v2;
            options.current_hash = content_hash(router_v2);
        }
        std::vector<tree_report> out;
        log_result r = collect_reports(reader, filter, options, out);
        REQUIRE_MESSAGE(r.ok, r.error);
        return out;
    }
};

const node_figures& node_of(const tree_report& r, const std::string& id) {
    const node_figures* n = r.find_node(r.tree_id, id);
    REQUIRE_MESSAGE(n != nullptr, id);
    return *n;
}

const link_figures& link_of(const tree_report& r, const std::string& from, const std::string& to) {
    const link_figures* l = r.find_link(r.tree_id, from, r.tree_id, to);
    REQUIRE_MESSAGE(l != nullptr, (from + " -> " + to));
    return *l;
}

std::string steps_of(const path_figures& p) {
    std::string s;
    for (const auto& [t, n] : p.steps) s += (s.empty() ? "" : " > ") + n;
    return s;
}

// The text of the JSON object that starts at `key` (a `"name": value` line) up to its
// matching closing brace.
std::string json_block(const std::string& json, const std::string& opening) {
    std::size_t at = json.find(opening);
    if (at == std::string::npos) return "<missing " + opening + ">";
    std::size_t brace = json.find('{', at);
    int depth = 0;
    for (std::size_t i = brace; i < json.size(); ++i) {
        if (json[i] == '{') ++depth;
        if (json[i] == '}' && --depth == 0) return json.substr(at, i + 1 - at);
    }
    return "<unbalanced>";
}

}  // namespace

TEST_CASE("stats: duration sketch is exact while small and within 1% after") {
    duration_sketch d;
    CHECK(d.quantile(0.5) == 0);
    for (std::int64_t v : {5000, 4000}) d.add(v);
    CHECK(d.exact());
    CHECK(d.quantile(0.5) == 4500);  // like a spreadsheet's MEDIAN
    CHECK(d.mean() == 4500);
    d.add(-3);  // clock skew: counts as 0
    CHECK(d.quantile(0.0) == 0);
    CHECK(d.quantile(0.9) == doctest::Approx(4800));

    duration_sketch big;
    for (std::int64_t i = 1; i <= 100'000; ++i) big.add(i);
    CHECK_FALSE(big.exact());
    CHECK(big.count() == 100'000);
    CHECK(big.mean() == doctest::Approx(50'000.5));
    CHECK(big.quantile(0.5) == doctest::Approx(50'000).epsilon(0.01));
    CHECK(big.quantile(0.9) == doctest::Approx(90'000).epsilon(0.01));
    CHECK(big.quantile(1.0) == doctest::Approx(100'000).epsilon(0.01));
}

TEST_CASE("stats: UTC days and ISO timestamps") {
    CHECK(parse_utc_time("2023-11-14") == 1'699'920'000'000);
    CHECK(parse_utc_time("2023-11-14T22:13:20Z") == t0);
    CHECK(parse_utc_time("2023-11-14 22:13:20") == t0);
    CHECK(parse_utc_time("2023-11-14T23:13:20.250+01:00") == t0 + 250);
    CHECK(parse_utc_time("2023-11-14T17:13-0500") == t0 - 20'000);
    CHECK(parse_utc_time("2024-02-29") == 1'709'164'800'000);
    for (const char* bad : {"", "2023-02-29", "2023-13-01", "2023-11-14T24:00", "14/11/2023", "2023-11-14Z",
                            "2023-11-14T22:13:20+1", "2023-11-14T22:13:20 junk", "yesterday"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_utc_time(bad).has_value());
    }
    CHECK(is_utc_day("2023-11-14"));
    CHECK_FALSE(is_utc_day("2023-11-14T00:00"));
    CHECK(format_utc_time(t0) == "2023-11-14 22:13:20");
    CHECK(format_utc_day(t0) == "2023-11-14");
}

TEST_CASE("stats: sessions, outcomes and handling times from real sessions") {
    router_log log;
    auto reports = log.report();
    REQUIRE(reports.size() == 1);
    const tree_report& r = reports[0];
    CHECK(r.tree_id == "router");
    CHECK(r.title == "Router check");
    CHECK(r.has_tree);

    const session_figures& s = r.sessions;
    CHECK(s.started == 5);
    CHECK(s.completed == 2);
    CHECK(s.escalated == 1);
    CHECK(s.abandoned == 2);
    CHECK(s.writer_lost == 1);
    CHECK(s.active == 0);
    CHECK(s.back_presses == 1);
    CHECK(s.with_back == 1);
    CHECK(s.restarts == 0);
    CHECK(s.first_started_ms == t0);
    CHECK(s.last_started_ms == t0 + 240'000);
    // Handling: 4000, 81000, 3000, 16000 (the writer-lost session has no real end).
    CHECK(s.handling.count == 4);
    CHECK(s.handling.median_ms == 10'000);
    CHECK(s.handling.p90_ms == 61'500);
    CHECK(s.handling.mean_ms == 26'000);
    CHECK(s.handling.exact);

    // Most frequent first; equal counts completed, escalated, abandoned. Abandoned sessions
    // are told apart by their reason: given at End call, or the player lost.
    REQUIRE(r.outcomes.size() == 4);
    CHECK(r.outcomes[0].status == session_status::completed);
    CHECK(r.outcomes[0].outcome == "resolved");
    CHECK(r.outcomes[0].sessions == 2);
    CHECK(r.outcomes[0].share == doctest::Approx(0.4));
    CHECK(r.outcomes[1].status == session_status::escalated);
    CHECK(r.outcomes[1].outcome == "Network Tier 2");
    CHECK(r.outcomes[1].sessions == 1);
    CHECK(r.outcomes[1].share == doctest::Approx(0.2));
    CHECK(r.outcomes[2].status == session_status::abandoned);
    CHECK(r.outcomes[2].outcome == "customer hung up");
    CHECK(r.outcomes[2].sessions == 1);
    CHECK(r.outcomes[3].status == session_status::abandoned);
    CHECK(r.outcomes[3].outcome == writer_lost_reason);
    CHECK(r.outcomes[3].sessions == 1);

    REQUIRE(r.versions.size() == 2);
    CHECK(r.versions[0].version == 1);
    CHECK_FALSE(r.versions[0].current);
    CHECK(r.versions[0].sessions == 1);
    CHECK(r.versions[0].hash == content_hash(router_v1));
    CHECK(r.versions[1].version == 2);
    CHECK(r.versions[1].current);
    CHECK(r.versions[1].sessions == 4);
    CHECK(r.versions[1].escalated == 1);
    CHECK(r.versions[1].abandoned == 2);
}

TEST_CASE("stats: per node visits, reach, dwell, back presses and abandonment") {
    router_log log;
    const tree_report r = log.report()[0];

    // Every node of the current file is listed, in file order, visited or not.
    std::vector<std::string> ids;
    for (const node_figures& n : r.nodes) ids.push_back(n.node_id);
    CHECK(ids == std::vector<std::string>{"power", "reboot", "route", "acct", "tier2", "fixed"});

    const node_figures& power = node_of(r, "power");
    CHECK(power.title == "Power light");
    CHECK(power.kind == "question");
    CHECK(power.visits == 7);
    CHECK(power.returns == 0);
    CHECK(power.sessions == 5);
    CHECK(power.reach_rate == 1.0);
    // Stays ended by the agent: 4000, 6000, 2000 (back), 5000, 3000 (abandon), 7000, 5000.
    CHECK(power.dwell.count == 7);
    CHECK(power.dwell.median_ms == 5000);
    CHECK(power.dwell.p90_ms == 6400);
    CHECK(power.exits == 5);
    CHECK(power.back_presses == 1);
    CHECK(power.back_rate == doctest::Approx(1.0 / 7));
    CHECK(power.abandoned_here == 1);
    CHECK(power.abandon_rate == doctest::Approx(0.2));
    CHECK(power.ended_here == 0);

    const node_figures& reboot = node_of(r, "reboot");
    CHECK(reboot.visits == 3);
    CHECK(reboot.returns == 1);
    CHECK(reboot.sessions == 2);
    CHECK(reboot.reach_rate == doctest::Approx(0.4));
    // 30000, then 10000 after coming back to it, then 20000; the crashed stay has no end.
    CHECK(reboot.dwell.count == 3);
    CHECK(reboot.dwell.median_ms == 20'000);
    CHECK(reboot.dwell.p90_ms == 28'000);
    CHECK(reboot.abandoned_here == 1);  // the writer-lost session was on it

    const node_figures& route = node_of(r, "route");
    CHECK(route.kind == "logic");
    CHECK(route.visits == 3);
    CHECK(route.dwell.count == 0);  // logic moves on by itself

    CHECK(node_of(r, "acct").dwell.median_ms == 8000);
    CHECK(node_of(r, "tier2").ended_here == 1);
    CHECK(node_of(r, "tier2").dwell.count == 0);
    CHECK(node_of(r, "fixed").ended_here == 2);
    CHECK(node_of(r, "fixed").sessions == 2);
}

TEST_CASE("stats: links with shares, never-taken links, and version drift listed apart") {
    router_log log;
    const tree_report r = log.report()[0];

    CHECK(link_of(r, "power", "reboot").transitions == 3);
    CHECK(link_of(r, "power", "reboot").share == doctest::Approx(0.6));
    CHECK(link_of(r, "power", "reboot").label == "No");
    CHECK(link_of(r, "power", "fixed").transitions == 1);
    CHECK(link_of(r, "power", "fixed").share == doctest::Approx(0.2));
    CHECK(link_of(r, "reboot", "route").transitions == 3);
    CHECK(link_of(r, "reboot", "route").share == 1.0);
    CHECK(link_of(r, "route", "power").transitions == 2);
    CHECK(link_of(r, "route", "power").label == "otherwise");
    CHECK(link_of(r, "route", "acct").label == "if reboots >= 2");
    CHECK(link_of(r, "acct", "tier2").transitions == 1);

    // The old version's node and links are not among the current ones...
    for (const link_figures& l : r.links) CHECK(l.to != "lights");
    CHECK(r.find_node("router", "lights") != nullptr);
    bool lights_in_nodes = false;
    for (const node_figures& n : r.nodes) lights_in_nodes = lights_in_nodes || n.node_id == "lights";
    CHECK_FALSE(lights_in_nodes);
    // ...but listed apart, with the versions that had them.
    REQUIRE(r.retired_nodes.size() == 1);
    CHECK(r.retired_nodes[0].node_id == "lights");
    CHECK(r.retired_nodes[0].visits == 1);
    CHECK(r.retired_nodes[0].dwell.median_ms == 9000);
    CHECK(r.retired_nodes[0].versions == std::vector<int>{1});
    REQUIRE(r.retired_links.size() == 2);
    CHECK(r.retired_links[0].from == "power");
    CHECK(r.retired_links[0].to == "lights");
    CHECK(r.retired_links[0].share == doctest::Approx(0.2));
    CHECK(r.retired_links[1].from == "lights");
    CHECK(r.retired_links[1].to == "fixed");
    CHECK(r.unknown_trees.empty());
}

TEST_CASE("stats: final paths leave out undone steps, ties in a stable order") {
    router_log log;
    const tree_report r = log.report()[0];
    CHECK(r.distinct_paths == 5);
    CHECK(r.other_path_sessions == 0);
    REQUIRE(r.top_paths.size() == 5);
    std::vector<std::string> got;
    for (const path_figures& p : r.top_paths) {
        CHECK(p.sessions == 1);
        CHECK(p.share == doctest::Approx(0.2));
        got.push_back(steps_of(p) + " | " + to_string(p.end) + " " + p.outcome);
    }
    CHECK(got == std::vector<std::string>{
                     "power | abandoned ",
                     "power > fixed | completed resolved",
                     "power > lights > fixed | completed resolved",
                     "power > reboot | abandoned ",
                     "power > reboot > route > power > reboot > route > acct > tier2 | escalated Network Tier 2",
                 });
    // Where sessions end abandoned: one each on power and reboot.
    REQUIRE(r.abandon_points.size() == 2);
    CHECK(r.abandon_points[0].node_id == "power");
    CHECK(r.abandon_points[0].value == doctest::Approx(0.5));
}

TEST_CASE("stats: distinct paths beyond the limit are counted as other") {
    router_log log;
    statistics_options o;
    o.max_distinct_paths = 2;
    o.top_paths = 1;
    const tree_report r = log.report(o)[0];
    CHECK(r.distinct_paths == 2);
    CHECK(r.other_path_sessions == 3);
    CHECK(r.max_distinct_paths == 2);
    CHECK(r.top_paths.size() == 1);
}

TEST_CASE("stats: filters by agent, dates and tree version") {
    router_log log;
    log_filter ana;
    ana.agent = "ana";
    const tree_report a = log.report({}, ana)[0];
    CHECK(a.sessions.started == 3);
    CHECK(a.sessions.completed == 2);
    CHECK(a.sessions.abandoned == 1);
    CHECK(node_of(a, "power").visits == 3);

    log_filter window;
    window.since_ms = t0 + 60'000;
    window.until_ms = t0 + 180'000;  // exclusive: S4 is out
    const tree_report w = log.report({}, window)[0];
    CHECK(w.sessions.started == 2);
    CHECK(w.sessions.escalated == 1);
    CHECK(w.sessions.abandoned == 1);

    statistics_options v2_only;
    v2_only.tree_version = 2;
    const tree_report v = log.report(v2_only)[0];
    CHECK(v.sessions.started == 4);
    CHECK(v.retired_nodes.empty());
    REQUIRE(v.versions.size() == 2);
    CHECK_FALSE(v.versions[0].counted);  // still listed, not counted
    CHECK(v.versions[0].sessions == 1);
    CHECK(v.versions[1].counted);

    log_filter nobody;
    nobody.agent = "nobody";
    const auto none = log.report({}, nobody);
    REQUIRE(none.size() == 1);  // the current tree's report, empty
    CHECK(none[0].sessions.started == 0);
    CHECK(node_of(none[0], "power").visits == 0);
    CHECK(node_of(none[0], "power").reach_rate == 0);
}

TEST_CASE("stats: per-agent figures only when asked for, sorted by name") {
    router_log log;
    CHECK(log.report()[0].agents.empty());
    statistics_options o;
    o.by_agent = true;
    const tree_report r = log.report(o)[0];
    REQUIRE(r.agents.size() == 3);
    CHECK(r.agents[0].agent == "ana");
    CHECK(r.agents[0].sessions == 3);
    CHECK(r.agents[0].completed == 2);
    CHECK(r.agents[0].abandoned == 1);
    CHECK(r.agents[0].handling.median_ms == 4000);  // 3000, 4000, 16000
    CHECK(r.agents[0].back_rate == 0);
    CHECK(r.agents[1].agent == "bo");
    CHECK(r.agents[1].escalated == 1);
    CHECK(r.agents[1].visits == 10);
    CHECK(r.agents[1].back_presses == 1);
    CHECK(r.agents[1].back_rate == doctest::Approx(0.1));
    CHECK(r.agents[2].agent == "cy");
    CHECK(r.agents[2].abandoned == 1);
    CHECK(r.agents[2].handling.count == 0);
}

TEST_CASE("stats: times anywhere in the int64 range give durations, not overflow") {
    // A log is input: its times may be edited to anything. Durations between them are
    // saturated (the sanitizer build fails on signed overflow).
    router_log log;
    run_sql(log.db,
            "UPDATE sessions SET started_ms = -9223372036854775807 - 1 WHERE agent = 'bo';"
            "UPDATE events SET time_ms = -9223372036854775807 - 1 WHERE seq = 1;"
            "UPDATE events SET time_ms = 9223372036854775807 WHERE seq = 3;");

    statistics_options options;
    options.by_agent = true;
    const auto reports = log.report(options);
    REQUIRE(reports.size() == 1);
    const tree_report& r = reports[0];
    CHECK(r.sessions.started == 5);
    CHECK(r.sessions.first_started_ms == std::numeric_limits<std::int64_t>::min());
    CHECK(r.sessions.handling.count == 4);
    // bo's call: from the int64 minimum to an ordinary time, longer than any int64.
    CHECK(r.sessions.handling.p90_ms >= 81'000);
    CHECK(node_of(r, "power").dwell.count > 0);
    CHECK(r.agents.size() == 3);
}

TEST_CASE("stats: without a tree file the figures come from the log alone") {
    router_log log;
    manual_clock later(t0 + 10 * 3600 * 1000);
    log_read_options ro;
    ro.now = &later;
    log_reader reader;
    REQUIRE(reader.open(log.db, ro));
    std::vector<tree_report> out;
    REQUIRE(collect_reports(reader, {}, {}, out));
    REQUIRE(out.size() == 1);
    const tree_report& r = out[0];
    CHECK_FALSE(r.has_tree);
    CHECK(r.title == "router");
    CHECK(r.unknown_trees == std::vector<std::string>{"router"});
    CHECK(r.retired_nodes.empty());  // nothing to compare with: nothing is called retired
    const node_figures& power = node_of(r, "power");
    CHECK(power.kind.empty());
    CHECK(power.visits == 7);
    CHECK(power.dwell.count == 7);
    // The logic node is told apart by moving on in the same millisecond.
    CHECK(node_of(r, "route").dwell.count == 0);
    CHECK(r.find_link("router", "power", "router", "lights") != nullptr);
    // Most visited first when the order of a file is not known.
    CHECK(r.nodes[0].node_id == "power");
}

TEST_CASE("stats: logic nodes have no dwell without the tree file, however long the player took to log") {
    // Writing each event takes the player some milliseconds (one fsync each): a clock that
    // moves on every time it is read. The runtime gives all events of one action one time.
    struct ticking_clock final : signpost::clock {
        std::int64_t t = t0;
        std::int64_t now_ms() override { return t += 7; }
    } clk;
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    auto v2 = load(router_v2, "router.xml");
    {
        log_writer w;
        REQUIRE(w.open(db));
        begin_logged(w, *v2);
        session s(v2, nullptr, clk, &w, "ana");
        clk.t += 4000;
        REQUIRE(s.choose(1));  // power -> reboot
        clk.t += 30'000;
        REQUIRE(s.next());  // reboot -> route (logic) -> power
        clk.t += 2000;
        REQUIRE(s.choose(0));  // power -> fixed
        REQUIRE(s.status() == session_status::completed);
    }
    for (const bool with_tree : {false, true}) {
        CAPTURE(with_tree);
        statistics_options o;
        if (with_tree) o.current = v2;
        const auto reports = reports_of(db, o);
        REQUIRE(reports.size() == 1);
        const tree_report& r = reports[0];
        const node_figures& route = node_of(r, "route");
        CHECK(route.visits == 1);
        CHECK(route.dwell.count == 0);
        CHECK(route.automatic_stays == 1);
        const node_figures& reboot = node_of(r, "reboot");
        REQUIRE(reboot.dwell.count == 1);
        CHECK(reboot.dwell.median_ms == doctest::Approx(30'000 + 7));  // the clock read once per action
        CHECK(reboot.automatic_stays == 0);
        const node_figures& power = node_of(r, "power");
        CHECK(power.dwell.count == 2);
        CHECK(power.automatic_stays == 0);
        CHECK(node_of(r, "fixed").automatic_stays == 0);  // ends the call: neither a sample nor a move
    }
}

TEST_CASE("stats: JSON output carries the exact figures") {
    router_log log;
    statistics_options o;
    o.by_agent = true;
    auto reports = log.report(o);
    report_scope scope;
    scope.log_path = "sessions.db";
    scope.filter.tree_id = "router";
    scope.by_agent = true;
    const std::string json = report_json(reports, scope);

    CHECK(json.rfind("{\n  \"report\": \"signpost path statistics\",\n  \"format_version\": 4,", 0) == 0);
    CHECK(json_block(json, "\"filters\"") ==
          "\"filters\": {\n"
          "    \"tree\": \"router\",\n"
          "    \"agent\": null,\n"
          "    \"since\": null,\n"
          "    \"until\": null,\n"
          "    \"tree_version\": null\n"
          "  }");
    CHECK(json_block(json, "\"sessions\": {") ==
          "\"sessions\": {\n"
          "        \"started\": 5,\n"
          "        \"completed\": 2,\n"
          "        \"escalated\": 1,\n"
          "        \"escalated_by_priority\": {\n"
          "          \"urgent\": 0,\n"
          "          \"high\": 0,\n"
          "          \"normal\": 1,\n"
          "          \"low\": 0,\n"
          "          \"unknown\": 0\n"
          "        },\n"
          "        \"abandoned\": 2,\n"
          "        \"writer_lost\": 1,\n"
          "        \"active\": 0,\n"
          "        \"restarts\": 0,\n"
          "        \"finds\": 0,\n"
          "        \"back_presses\": 1,\n"
          "        \"sessions_with_back\": 1,\n"
          "        \"handling_ms\": {\n"
          "          \"count\": 4,\n"
          "          \"mean\": 26000,\n"
          "          \"median\": 10000,\n"
          "          \"p90\": 61500,\n"
          "          \"exact\": true\n"
          "        },\n"
          "        \"first_started\": \"2023-11-14T22:13:20Z\",\n"
          "        \"last_started\": \"2023-11-14T22:17:20Z\"\n"
          "      }");
    CHECK(json_block(json, "\"node\": \"power\",\n          \"tree\"") ==
          "\"node\": \"power\",\n"
          "          \"tree\": \"router\",\n"
          "          \"id\": \"power\",\n"
          "          \"title\": \"Power light\",\n"
          "          \"kind\": \"question\",\n"
          "          \"visits\": 7,\n"
          "          \"returns\": 0,\n"
          "          \"found\": 0,\n"
          "          \"sessions\": 5,\n"
          "          \"reach_rate\": 1,\n"
          "          \"dwell_ms\": {\n"
          "            \"count\": 7,\n"
          "            \"mean\": 4571.4,\n"
          "            \"median\": 5000,\n"
          "            \"p90\": 6400,\n"
          "            \"exact\": true\n"
          "          }");
    CHECK(json.find("\"back_rate\": 0.1429,") != std::string::npos);
    // No stays on a logic node: null figures, not 0.
    CHECK(json.find("\"node\": \"route\",") != std::string::npos);
    CHECK(json.find("\"dwell_ms\": {\n            \"count\": 0,\n            \"mean\": null,\n            \"median\": null,") !=
          std::string::npos);
    CHECK(json.find("{\n          \"from\": \"power\",\n          \"to\": \"reboot\",\n          \"label\": \"No\",\n"
                    "          \"transitions\": 3,\n          \"share\": 0.6\n        }") != std::string::npos);
    CHECK(json.find("\"steps\": [\"power\", \"reboot\", \"route\", \"power\", \"reboot\", \"route\", \"acct\", "
                    "\"tier2\"]") != std::string::npos);
    CHECK(json.find("\"status\": \"escalated\",\n            \"outcome\": \"Network Tier 2\",") != std::string::npos);
    CHECK(json.find("\"retired_nodes\": [\n          {\n            \"node\": \"lights\",") != std::string::npos);
    CHECK(json.find("\"versions\": [1]") != std::string::npos);
    CHECK(json.find("\"agent\": \"bo\",") != std::string::npos);
}

TEST_CASE("stats: CSV is one figure per row") {
    router_log log;
    auto reports = log.report();
    const std::string csv = report_csv(reports, {});
    CHECK(csv.rfind("tree_id,section,subject,metric,value\n", 0) == 0);
    std::size_t rows = 0;
    std::size_t start = 0;
    while (start < csv.size()) {
        std::size_t nl = csv.find('\n', start);
        REQUIRE(nl != std::string::npos);
        std::string line = csv.substr(start, nl - start);
        // Five fields, none of them quoted here (no commas in ids or figures).
        CHECK(std::count(line.begin(), line.end(), ',') == 4);
        start = nl + 1;
        ++rows;
    }
    CHECK(rows > 50);
    CHECK(csv.find("router,sessions,,started,5\n") != std::string::npos);
    CHECK(csv.find("router,node,power,dwell_median_ms,5000\n") != std::string::npos);
    CHECK(csv.find("router,node,power,dwell_exact,true\n") != std::string::npos);
    // Titles, kinds and answers from the tree file, so a sheet reads without the XML open.
    CHECK(csv.find("router,node,power,title,Power light\nrouter,node,power,kind,question\nrouter,node,power,visits,7\n") !=
          std::string::npos);
    CHECK(csv.find("router,link,power -> reboot,label,No\n") != std::string::npos);
    // A node the tree no longer has has no title: no row, rather than an empty one.
    CHECK(csv.find("router,retired_node,lights,title,") == std::string::npos);
    CHECK(csv.find(",filter,") == std::string::npos);  // no filters: no filter rows
    report_scope filtered;
    filtered.filter.agent = "bo";
    filtered.filter.since_ms = t0;
    filtered.tree_version = 1;
    const std::string csv_filtered = report_csv(reports, filtered);
    CHECK(csv_filtered.find("router,filter,,agent,bo\n") != std::string::npos);
    CHECK(csv_filtered.find("router,filter,,since,2023-11-14T22:13:20Z\n") != std::string::npos);
    CHECK(csv_filtered.find("router,filter,,tree_version,1\n") != std::string::npos);
    // A logic node has no stays: no median, rather than a 0 that reads as instant.
    CHECK(csv.find("router,node,route,dwell_count,0\n") != std::string::npos);
    CHECK(csv.find("router,node,route,dwell_median_ms,\n") != std::string::npos);
    CHECK(csv.find("router,link,power -> reboot,share,0.6\n") != std::string::npos);
    CHECK(csv.find("router,retired_node,lights,visits,1\n") != std::string::npos);
    CHECK(csv.find("router,outcome,escalated:Network Tier 2,sessions,1\n") != std::string::npos);
    CHECK(csv.find("router,path,5,steps,power > reboot > route > power > reboot > route > acct > tier2\n") !=
          std::string::npos);
}

TEST_CASE("stats: restart starts the path over and counts apart") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    auto v2 = load(router_v2, "router.xml");
    manual_clock clk(t0);
    {
        log_writer w;
        REQUIRE(w.open(db));
        w.begin_session(info_for(*v2, router_v2, "ana", clk.now_ms()));
        session s(v2, nullptr, clk, &w, "ana");
        clk.advance(2000);
        REQUIRE(s.choose(1));
        clk.advance(7000);
        s.restart();
        clk.advance(1000);
        REQUIRE(s.choose(0));
    }
    log_reader reader;
    REQUIRE(reader.open(db));
    statistics_options o;
    o.current = v2;
    std::vector<tree_report> out;
    REQUIRE(collect_reports(reader, {}, o, out));
    const tree_report& r = out.at(0);
    CHECK(r.sessions.restarts == 1);
    CHECK(r.sessions.completed == 1);
    REQUIRE(r.top_paths.size() == 1);
    CHECK(steps_of(r.top_paths[0]) == "power > fixed");
    CHECK(node_of(r, "power").visits == 2);
    CHECK(node_of(r, "power").sessions == 1);
    CHECK(node_of(r, "reboot").dwell.median_ms == 7000);  // the stay ended by "start over"
    CHECK(link_of(r, "power", "reboot").transitions == 1);
    CHECK(r.find_link("router", "reboot", "router", "power") == nullptr);  // a restart is no move
}

TEST_CASE("stats: a move made with find is counted apart, never as a link") {
    const char* xml = R"(<tree format="1" id="find" start="a" allow-find="true">
  <question id="a" title="A"><choice to="b">Next</choice></question>
  <step id="b" title="B" to="c"/>
  <end id="c" outcome="resolved"/>
</tree>)";
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    auto t = load(xml, "find.xml");
    manual_clock clk(t0);
    {
        log_writer w;
        REQUIRE(w.open(db));
        w.begin_session(info_for(*t, xml, "ana", clk.now_ms(), "s1"));
        {
            session s(t, nullptr, clk, &w, "ana");
            clk.advance(3000);
            REQUIRE(s.go_to("c"));  // a -> c: no such link
            REQUIRE(s.status() == session_status::completed);
        }
        w.begin_session(info_for(*t, xml, "ana", clk.now_ms(), "s2"));
        {
            session s(t, nullptr, clk, &w, "ana");
            clk.advance(1000);
            REQUIRE(s.choose(0));
            clk.advance(1000);
            REQUIRE(s.next());
        }
    }
    for (const bool trails : {true, false}) {
        CAPTURE(trails);
        log_read_options ro;
        ro.read_trails = trails;
        log_reader reader;
        REQUIRE(reader.open(db, ro));
        statistics_options o;
        o.current = t;
        std::vector<tree_report> out;
        REQUIRE(collect_reports(reader, {}, o, out));
        const tree_report& r = out.at(0);
        CHECK(r.sessions.finds == 1);
        CHECK(node_of(r, "c").found == 1);
        CHECK(node_of(r, "c").visits == 2);
        CHECK(node_of(r, "a").found == 0);
        CHECK(node_of(r, "a").exits == 1);  // the choice in s2 only
        CHECK(node_of(r, "a").dwell.count == 2);  // the stay find ended counts as the agent's
        CHECK(r.find_link("find", "a", "find", "c") == nullptr);  // not a retired link either
        CHECK(link_of(r, "a", "b").transitions == 1);
        CHECK(link_of(r, "b", "c").transitions == 1);
        // The path itself still goes through the node found, marked as found.
        REQUIRE(r.top_paths.size() == 2);
        const auto by_find = std::find_if(r.top_paths.begin(), r.top_paths.end(),
                                          [](const path_figures& p) { return p.steps.size() == 2; });
        REQUIRE(by_find != r.top_paths.end());
        CHECK(by_find->steps[1].second == "c");
        CHECK(by_find->found == std::vector<std::size_t>{1});
        CHECK(path_step_name(r, *by_find, 0) == "a");
        CHECK(path_step_name(r, *by_find, 1) == "(find) c");
        const auto by_links = by_find == r.top_paths.begin() ? r.top_paths.begin() + 1 : r.top_paths.begin();
        CHECK(by_links->found.empty());
        CHECK(report_csv(out, {}).find(",path,1,steps,a > (find) c\n") != std::string::npos);
        CHECK(report_json(out, {}).find("\"steps\": [\"a\", \"c\"],\n            \"found_steps\": [1]") !=
              std::string::npos);
    }
}

TEST_CASE("stats: notes written after the call ended change none of its figures") {
    const char* xml = R"(<tree format="1" id="acw" start="a">
  <question id="a" title="A"><choice to="c">Done</choice></question>
  <end id="c" outcome="resolved"/>
</tree>)";
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    auto t = load(xml, "acw.xml");
    manual_clock clk(t0);
    {
        log_writer w;
        REQUIRE(w.open(db));
        for (const bool after_call_notes : {false, true}) {
            w.begin_session(info_for(*t, xml, "ana", clk.now_ms(), after_call_notes ? "s2" : "s1"));
            session s(t, nullptr, clk, &w, "ana");
            clk.advance(4000);
            REQUIRE(s.choose(0));
            REQUIRE(s.status() == session_status::completed);
            if (after_call_notes) {
                clk.advance(90'000);  // after-call work
                s.note("sent the how-to link by mail");
                s.note("caller wants a callback on Monday");
            }
            clk.advance(1000);
        }
    }
    for (const bool trails : {true, false}) {
        CAPTURE(trails);
        statistics_options o;
        o.current = t;
        const tree_report r = reports_of(db, o, trails).at(0);
        CHECK(r.sessions.completed == 2);
        CHECK(r.sessions.abandoned == 0);
        CHECK(r.sessions.handling.count == 2);
        CHECK(r.sessions.handling.p90_ms == 4000);  // both calls: the note time is not handling time
        CHECK(node_of(r, "a").dwell.count == 2);
        CHECK(node_of(r, "c").visits == 2);
        REQUIRE(r.top_paths.size() == 1);  // one path, both sessions
        CHECK(r.top_paths[0].sessions == 2);
    }
}

TEST_CASE("stats: nodes of jumped trees are their own, and jump links are not drift") {
    sample_trees samples;
    tree_library& library = samples.library;
    const load_result& outage = samples.outage;
    std::shared_ptr<const tree> root = outage.loaded;
    library.add(root);

    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    manual_clock clk(t0);
    {
        log_writer w;
        REQUIRE(w.open(db));
        begin_logged(w, *root);
        session s(root, &library, clk, &w, "ana");
        REQUIRE(s.current().node_ptr->id == "ask-account");
        clk.advance(20'000);
        REQUIRE(s.submit({{"account", "40112233"}, {"caller_name", "Maria Lopez"}}));
        clk.advance(5000);
        REQUIRE(s.choose(0));  // listed on the account
        clk.advance(5000);
        REQUIRE(s.choose(0));  // SMS code
        clk.advance(30'000);
        REQUIRE(s.submit({{"code", "123456"}}));
        clk.advance(4000);
        REQUIRE(s.choose(0));  // accepted: back in the outage tree
        REQUIRE(s.current().node_ptr->id == "service-details");
        clk.advance(15'000);
        REQUIRE(s.submit({{"plan", "basic"}, {"down_since", "today 8:30"}}));
        clk.advance(6000);
        REQUIRE(s.choose(1));  // known outage
        REQUIRE(s.status() == session_status::completed);
    }
    log_reader reader;
    REQUIRE(reader.open(db));
    statistics_options o;
    o.current = root;
    o.library = &library;
    std::vector<tree_report> out;
    REQUIRE(collect_reports(reader, {}, o, out));
    const tree_report& r = out.at(0);
    CHECK(r.unknown_trees.empty());
    CHECK(r.retired_nodes.empty());
    CHECK(r.retired_links.empty());

    const node_figures* ask = r.find_node("identity-verification", "ask-account");
    REQUIRE(ask != nullptr);
    CHECK(ask->kind == "form");
    CHECK(ask->title == "Account number and name");
    CHECK(ask->dwell.median_ms == 20'000);
    const link_figures* into = r.find_link("internet-outage", "verify", "identity-verification", "ask-account");
    REQUIRE(into != nullptr);
    CHECK(into->transitions == 1);
    const link_figures* out_of = r.find_link("identity-verification", "verified-end", "internet-outage", "verified-check");
    REQUIRE(out_of != nullptr);
    CHECK(out_of->transitions == 1);
    // Nodes of the jumped tree come after the root's, in file order, visited or not.
    CHECK(r.nodes.front().node_id == "verify");
    CHECK(r.find_node("identity-verification", "fraud") != nullptr);
    CHECK(r.find_node("identity-verification", "fraud")->visits == 0);

    REQUIRE(r.top_paths.size() == 1);
    std::vector<std::string> names;
    for (const auto& [t, n] : r.top_paths[0].steps) names.push_back(qualified_node(r.tree_id, t, n));
    CHECK(names == std::vector<std::string>{"verify", "identity-verification:ask-account", "identity-verification:lookup",
                                            "identity-verification:choose-method", "identity-verification:send-code",
                                            "identity-verification:code-check", "identity-verification:verified-end",
                                            "verified-check", "service-details", "area-check", "known-outage"});
    CHECK(r.sessions.handling.median_ms == 85'000);
}

TEST_CASE("stats: back across a jump returns to the node of the right tree, and one click is one back") {
    // The sub-tree reuses the id `x` of a root node: a back from the root's `y` to the
    // sub-tree's question `x` must not count the root's logic `x` as returned to.
    const auto root = load(R"(<tree format="1" id="r" start="a">
  <question id="a" title="A"><text>a</text><choice to="j">go</choice></question>
  <jump id="j" tree="sub" to="x"/>
  <logic id="x"><otherwise to="y"/></logic>
  <question id="y" title="Y"><text>y</text><choice to="e">done</choice></question>
  <end id="e" outcome="resolved"/>
</tree>)", "r.xml");
    const auto sub = load(R"(<tree format="1" id="sub" start="x">
  <question id="x" title="Sub X"><text>x</text><choice to="sub-end">ok</choice></question>
  <end id="sub-end" outcome="resolved"/>
</tree>)", "sub.xml");
    tree_library library;
    library.add(root);
    library.add(sub);

    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    manual_clock clk(t0);
    {
        log_writer w;
        REQUIRE(w.open(db));
        begin_logged(w, *root);
        session s(root, &library, clk, &w, "ann");
        clk.advance(1000);
        REQUIRE(s.choose(0));  // a -> j -> sub:x
        clk.advance(2000);
        REQUIRE(s.choose(0));  // sub:x -> sub:sub-end -> x -> y
        REQUIRE(s.current().node_ptr->id == "y");
        clk.advance(3000);
        REQUIRE(s.back());     // y -> sub:x
        REQUIRE(s.current().tree_ptr->id == "sub");
        clk.advance(4000);
        REQUIRE(s.choose(0));  // sub:x -> ... -> y
        clk.advance(5000);
        REQUIRE(s.back_to(0));  // one click on the first breadcrumb: y -> a, passing sub:x
        REQUIRE(s.current().node_ptr->id == "a");
        clk.advance(6000);
        REQUIRE(s.choose(0));
        clk.advance(7000);
        REQUIRE(s.choose(0));
        clk.advance(8000);
        REQUIRE(s.choose(0));  // y -> e
        REQUIRE(s.status() == session_status::completed);
    }
    // The same log as builds before 2026-11-27 wrote it: the node returned to without its
    // tree, and no marker on the back events a breadcrumb click passed over (trails voided,
    // so the events are read). With ids shared across trees that is ambiguous (the old
    // figures come back); with ids of its own the node is found in the path.
    for (const char* sub_question : {"x", "sx"}) {
    const std::string old_db = dir.file(std::string("old-") + sub_question + ".db");
    fs::copy_file(db, old_db);
    const std::string rename = std::string(sub_question) == "x" ? "" :
        "UPDATE events SET node = 'sx' WHERE tree_id = 'sub' AND node = 'x';"
        "UPDATE events SET detail = 'sub:sx' WHERE detail = 'sub:x';";
    run_sql(old_db, rename + "UPDATE events SET detail = substr(detail, instr(detail, ':') + 1), choice = NULL "
                             "WHERE kind = 'back'; UPDATE sessions SET trail = x'00';");
    const auto sub_renamed = load(std::regex_replace(std::string(R"(<tree format="1" id="sub" start="x">
  <question id="x" title="Sub X"><text>x</text><choice to="sub-end">ok</choice></question>
  <end id="sub-end" outcome="resolved"/>
</tree>)"), std::regex("\"x\""), std::string("\"") + sub_question + "\"").c_str(), "sub.xml");
    tree_library old_library;
    old_library.add(root);
    old_library.add(sub_renamed);
    statistics_options old_options;
    old_options.current = root;
    old_options.library = &old_library;
    const std::vector<tree_report> old_out = reports_of(old_db, old_options);
    const tree_report& old = old_out.at(0);
    CAPTURE(sub_question);
    CHECK(old.sessions.back_presses == 3);  // each action a click undid was a press then
    if (std::string(sub_question) == "sx") {
        CHECK(old.retired_nodes.empty());  // no made-up root:sx
        CHECK(old.retired_links.empty());
        CHECK(old.find_node("sub", "sx")->returns == 2);
        CHECK(old.find_node("r", "x")->returns == 0);
    }
    }

    statistics_options o;
    o.current = root;
    o.library = &library;
    for (const bool trails : {true, false}) {
        CAPTURE(trails);
        const std::vector<tree_report> out = reports_of(db, o, trails);
        const tree_report& r = out.at(0);
        CHECK(r.retired_links.empty());  // no made-up link x -> sub:sub-end
        CHECK(r.retired_nodes.empty());
        CHECK(r.sessions.back_presses == 2);
        const node_figures* sub_x = r.find_node("sub", "x");
        const node_figures* root_x = r.find_node("r", "x");
        REQUIRE(sub_x != nullptr);
        REQUIRE(root_x != nullptr);
        CHECK(sub_x->returns == 1);
        CHECK(root_x->returns == 0);
        CHECK(root_x->exits == 3);
        CHECK(r.find_node("r", "a")->returns == 1);
        // sub:x was passed over by the click, not stood on: its stays are 2 s, 4 s and 7 s.
        CHECK(sub_x->dwell.count == 3);
        CHECK(sub_x->dwell.median_ms == 4000);
        REQUIRE(r.top_paths.size() == 1);
        std::vector<std::string> names;
        for (const auto& [t, n] : r.top_paths[0].steps) names.push_back(qualified_node(r.tree_id, t, n));
        CHECK(names == std::vector<std::string>{"a", "j", "sub:x", "sub:sub-end", "x", "y", "e"});
    }
}

namespace {
// q1 -> q2 -> ... -> q7 -> e, one answer each; `last` names the final question's id.
std::string chain_xml(int version, const std::string& last) {
    std::string xml = "<tree format=\"1\" id=\"chain\" version=\"" + std::to_string(version) + "\" start=\"q1\">\n";
    for (int i = 1; i <= 7; ++i) {
        const std::string id = i == 7 ? last : "q" + std::to_string(i);
        const std::string to = i == 7 ? "e" : (i == 6 ? last : "q" + std::to_string(i + 1));
        xml += "  <question id=\"" + id + "\" title=\"Q" + std::to_string(i) + "\"><text>t</text><choice to=\"" + to +
               "\">go</choice></question>\n";
    }
    return xml + "  <end id=\"e\" outcome=\"resolved\"/>\n</tree>\n";
}
}  // namespace

TEST_CASE("stats: where calls end abandoned lists removed nodes and adds up, the abandon-rate spot needs 5 sessions") {
    const auto v1 = load(chain_xml(1, "q7").c_str(), "chain.xml");
    const auto v2 = load(chain_xml(2, "q7b").c_str(), "chain.xml");
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    manual_clock clk(t0);
    {
        log_writer w;
        REQUIRE(w.open(db));
        // Abandoned on q7 (three times), q1 (twice), q2..q6 (once each): 10 in all.
        for (const int at : {7, 7, 7, 1, 1, 2, 3, 4, 5, 6}) {
            begin_logged(w, *v1);
            session s(v1, nullptr, clk, &w, "ann");
            for (int k = 1; k < at; ++k) {
                clk.advance(1000);
                REQUIRE(s.choose(0));
            }
            clk.advance(1000);
            s.abandon("hung up");
        }
    }
    // The last call (abandoned on q6) loses every event after its start, as if its player
    // died before its first step: it is abandoned on no node.
    run_sql(db, "DELETE FROM events WHERE seq > 0 AND session_id = (SELECT id FROM sessions ORDER BY rowid DESC LIMIT 1);"
                "UPDATE sessions SET trail = x'00', end_node = '' WHERE rowid = (SELECT max(rowid) FROM sessions);");
    statistics_options o;
    o.current = v2;  // q7 is q7b now: the log's q7 is version drift
    const std::vector<tree_report> out = reports_of(db, o);
    const tree_report& r = out.at(0);
    REQUIRE(r.sessions.abandoned == 10);
    REQUIRE(r.abandon_points.size() == 5);
    CHECK(r.abandon_points[0].node_id == "q7");
    CHECK(r.abandon_points[0].retired);
    CHECK(r.abandon_points[0].count == 3);
    CHECK(r.abandon_points[1].node_id == "q1");
    CHECK_FALSE(r.abandon_points[1].retired);
    std::uint64_t listed = 0;
    for (const problem_spot& p : r.abandon_points) listed += p.count;
    CHECK(listed == 8);
    CHECK(r.abandoned_elsewhere == 1);  // q5 (q6's call has no node now)
    CHECK(r.abandoned_no_step == 1);
    const std::string json = report_json({r}, report_scope{});
    CHECK(json.find("\"abandoned_elsewhere\": 1") != std::string::npos);
    CHECK(json.find("\"abandoned_no_step\": 1") != std::string::npos);
    CHECK(json.find("\"retired\": true") != std::string::npos);

    // One call going back and forth over q2 five times, then abandoned there: 5 visits,
    // but one session is no sample for a rate per session.
    const std::string db2 = dir.file("loop.db");
    {
        log_writer w;
        REQUIRE(w.open(db2));
        begin_logged(w, *v1);
        session s(v1, nullptr, clk, &w, "bob");
        for (int k = 0; k < 5; ++k) {
            clk.advance(1000);
            REQUIRE(s.choose(0));  // q1 -> q2
            if (k < 4) REQUIRE(s.back());
        }
        s.abandon("hung up");
    }
    o.current = v1;
    const std::vector<tree_report> looped = reports_of(db2, o);
    const node_figures* q2 = looped.at(0).find_node("chain", "q2");
    REQUIRE(q2 != nullptr);
    CHECK(q2->visits == 5);
    CHECK(q2->abandoned_here == 1);
    CHECK(looped.at(0).highest_abandonment.empty());
}

TEST_CASE("stats: a breadcrumb click back through a loop cuts the path where the agent clicked") {
    const auto t = load(R"(<tree format="1" id="loop" start="a">
  <question id="a" title="A"><text>a</text><choice to="b">on</choice></question>
  <question id="b" title="B"><text>b</text><choice to="a">again</choice><choice to="e">done</choice></question>
  <end id="e" outcome="resolved"/>
</tree>)", "loop.xml");
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    manual_clock clk(t0);
    {
        log_writer w;
        REQUIRE(w.open(db));
        begin_logged(w, *t);
        session s(t, nullptr, clk, &w, "ann");
        for (const int pick : {0, 0, 0}) {  // a -> b -> a -> b
            clk.advance(1000);
            REQUIRE(s.choose(pick));
        }
        clk.advance(1000);
        REQUIRE(s.back_to(0));  // the first a, not the second
        REQUIRE(s.breadcrumb().size() == 1);
        clk.advance(1000);
        REQUIRE(s.choose(0));
        clk.advance(1000);
        REQUIRE(s.choose(1));  // b -> e
        REQUIRE(s.status() == session_status::completed);
    }
    statistics_options o;
    o.current = t;
    for (const bool trails : {true, false}) {
        CAPTURE(trails);
        const std::vector<tree_report> out = reports_of(db, o, trails);
        const tree_report& r = out.at(0);
        CHECK(r.sessions.back_presses == 1);
        REQUIRE(r.top_paths.size() == 1);
        std::vector<std::string> names;
        for (const auto& [tree, n] : r.top_paths[0].steps) names.push_back(qualified_node(r.tree_id, tree, n));
        CHECK(names == std::vector<std::string>{"a", "b", "e"});
        CHECK(r.find_node("loop", "a")->returns == 1);
        CHECK(r.find_node("loop", "b")->returns == 0);  // passed over, not returned to
    }
}

TEST_CASE("stats: the bulk writer stores final statuses, crashed calls and every index") {
    temp_dir dir;
    const std::string db = dir.file("bulk.db");
    auto v2 = load(router_v2, "router.xml");
    manual_clock clk(t0);
    log_bulk_writer bulk;
    REQUIRE(bulk.open(db));
    bulk.set_batch_sessions(2);  // several transactions
    for (int i = 0; i < 5; ++i) {
        session_info info = info_for(*v2, router_v2, i % 2 ? "bo" : "ana", clk.now_ms());
        info.id = "session-" + std::to_string(i);
        CHECK(bulk.begin_session(info) == info.id);
        session s(v2, nullptr, clk, &bulk, info.agent);
        clk.advance(1000);
        if (i == 3) continue;  // crashed: no end
        REQUIRE(s.choose(0));
        clk.advance(60'000);
    }
    REQUIRE(bulk.finish());
    CHECK(bulk.error().empty());
    CHECK(bulk.sessions_written() == 5);
    CHECK(bulk.events_written() == 4 * 5 + 2);

    log_reader reader;
    REQUIRE(reader.open(db));
    std::vector<session_record> seen;
    std::vector<std::size_t> sizes;
    REQUIRE(reader.for_each_session({}, [&](const session_record& s, const std::vector<event>& events) {
        seen.push_back(s);
        sizes.push_back(events.size());
    }));
    REQUIRE(seen.size() == 5);
    CHECK(seen[0].id == "session-0");
    CHECK(seen[0].status == session_status::completed);
    CHECK(seen[0].outcome == "resolved");
    CHECK(seen[0].end_node == "fixed");
    CHECK(seen[0].ended_ms == t0 + 1000);
    CHECK(seen[0].last_event_ms == t0 + 1000);
    CHECK(seen[1].agent == "bo");
    CHECK(seen[3].id == "session-3");
    CHECK(seen[3].status == session_status::abandoned);  // this process wrote it: alive, but silent for years
    CHECK(seen[3].writer_lost);
    CHECK(sizes == std::vector<std::size_t>{5, 5, 5, 2, 5});
    CHECK(reader.check_integrity());

    // The indexes left out while filling are there again.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                                    "('sessions_by_start', 'sessions_by_tree', 'sessions_by_agent', "
                                    "'sessions_active', 'events_by_node')",
                               -1, &q, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(q) == SQLITE_ROW);
    CHECK(sqlite3_column_int(q, 0) == 5);
    sqlite3_finalize(q);
    sqlite3_close(raw);

    // Adding to a log that has sessions keeps its indexes all along.
    log_bulk_writer more;
    REQUIRE(more.open(db));
    more.begin_session(info_for(*v2, router_v2, "cy", t0 + 10'000'000));
    {
        session s(v2, nullptr, clk, &more, "cy");
        REQUIRE(s.choose(0));
    }
    REQUIRE(more.finish());
    std::uint64_t count = 0;
    REQUIRE(reader.count_sessions({}, count));
    CHECK(count == 6);
}

TEST_CASE("stats: the bulk writer keeps after-call notes with the session they follow") {
    temp_dir dir;
    const std::string db = dir.file("bulk.db");
    auto v2 = load(router_v2, "router.xml");
    manual_clock clk(t0);
    log_bulk_writer bulk;
    REQUIRE(bulk.open(db));
    for (int i = 0; i < 2; ++i) {
        session_info info = info_for(*v2, router_v2, "ana", clk.now_ms());
        info.id = "session-" + std::to_string(i);
        bulk.begin_session(info);
        session s(v2, nullptr, clk, &bulk, "ana");
        clk.advance(1000);
        REQUIRE(s.choose(0));
        clk.advance(30'000);
        s.note("wrap-up " + std::to_string(i));
    }
    // And a whole session given at once, its end followed by a note.
    struct collected : event_sink {
        std::vector<event> events;
        void on_event(const event& e) override { events.push_back(e); }
    } sink;
    {
        session s(v2, nullptr, clk, &sink, "bo");
        REQUIRE(s.choose(0));
        clk.advance(1000);
        s.note("after");
    }
    const std::vector<event> events = sink.events;
    session_info info = info_for(*v2, router_v2, "bo", clk.now_ms());
    info.id = "session-2";
    bulk.add_session(info, events);
    REQUIRE(bulk.finish());
    CHECK(bulk.sessions_written() == 3);

    log_reader reader;
    REQUIRE(reader.open(db));
    std::vector<session_record> seen;
    std::vector<event> last_events;
    REQUIRE(reader.for_each_session({}, [&](const session_record& s, const std::vector<event>& e) {
        seen.push_back(s);
        last_events.push_back(e.back());
    }));
    // Not a made-up session per note, and each one completed at its end, not at its note.
    REQUIRE(seen.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(seen[i].status == session_status::completed);
        CHECK(last_events[i].kind == event_kind::note);
        REQUIRE(seen[i].ended_ms);
        CHECK(*seen[i].ended_ms < last_events[i].time_ms);
    }
    CHECK(last_events[0].detail == "wrap-up 0");
}

TEST_CASE("stats: the bulk writer refuses files that are not Signpost logs") {
    temp_dir dir;
    const std::string text = dir.file("notes.txt");
    std::ofstream(text) << "not a database, not even close, just some text that is long enough\n";
    log_bulk_writer bulk;
    log_result r = bulk.open(text);
    CHECK_FALSE(r);
    CHECK(r.error.find("not a Signpost session log") != std::string::npos);
    CHECK_FALSE(bulk.finish());
}

TEST_CASE("stats: scan_sessions sees what for_each_session sees, in id order, narrow or broad") {
    router_log log;
    log_reader reader;
    REQUIRE(reader.open(log.db));
    auto ordered = [&](const log_filter& f) {
        std::map<std::string, std::vector<event>> by_id;
        REQUIRE(reader.for_each_session(f, [&](const session_record& s, const std::vector<event>& events) {
            by_id[s.id] = events;
        }));
        return by_id;
    };
    auto scanned = [&](const log_filter& f, bool paths_only) {
        std::vector<std::pair<std::string, std::vector<event>>> list;
        REQUIRE(reader.scan_sessions(
            f,
            [&](const session_record& s, std::span<const event> events) {
                list.emplace_back(s.id, std::vector<event>(events.begin(), events.end()));
            },
            paths_only));
        return list;
    };
    log_filter ana;
    ana.agent = "ana";  // 3 of 5: read by merging
    log_filter bo;
    bo.agent = "bo";    // 1 of 5: read by key lookups
    for (const log_filter& f : {log_filter{}, ana, bo}) {
        CAPTURE(f.agent);
        auto want = ordered(f);
        auto got = scanned(f, false);
        REQUIRE(got.size() == want.size());
        std::size_t i = 0;
        for (const auto& [id, events] : want) {
            CHECK(got[i].first == id);  // std::map order is the id order
            REQUIRE(got[i].second.size() == events.size());
            for (std::size_t k = 0; k < events.size(); ++k) {
                const event& a = got[i].second[k];
                const event& b = events[k];
                CHECK((a.kind == b.kind && a.time_ms == b.time_ms && a.sequence == b.sequence && a.node == b.node &&
                       a.tree_id == b.tree_id && a.choice == b.choice && a.detail == b.detail &&
                       a.outcome == b.outcome));
            }
            ++i;
        }
        std::uint64_t count = 0;
        REQUIRE(reader.count_sessions(f, count));
        CHECK(count == want.size());
    }
    // Paths only: details of back and end events, nothing of the others.
    for (const auto& [id, events] : scanned({}, true)) {
        for (const event& e : events) {
            CHECK(e.outcome.empty());
            CHECK(e.choice == -1);
            if (e.kind != event_kind::back && e.kind != event_kind::end) CHECK(e.detail.empty());
            if (e.kind == event_kind::end) CHECK_FALSE(e.detail.empty());
            if (e.kind == event_kind::back) CHECK(e.detail == "reboot");
        }
    }
    std::vector<std::string> ids;
    REQUIRE(reader.tree_ids(ids));
    CHECK(ids == std::vector<std::string>{"router"});
}

TEST_CASE("stats: values for form patterns") {
    std::uint64_t state = 42;
    auto random = [&state] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<double>(state >> 11) * 0x1.0p-53;
    };
    for (const char* pattern : {"[0-9]{8}", "[0-9]{6}", "E[0-9]{6}", "[a-z][a-z0-9.]{1,31}",
                                "[0-9]{4}-[0-9]{2}-[0-9]{2}", "([01][0-9]|2[0-3]):[0-5][0-9]", "(?:ab|cd)+x?",
                                "\\d{3}-\\w+", "^[A-Z]{2}[^0-9]$", "a.c", "[-a]{2,}"}) {
        std::regex re(pattern, std::regex::ECMAScript);
        for (int i = 0; i < 50; ++i) {
            auto sample = sample_for_pattern(pattern, random);
            REQUIRE_MESSAGE(sample.has_value(), pattern);
            CHECK_MESSAGE(std::regex_match(*sample, re), pattern << " gave " << *sample);
        }
    }
    for (const char* unsupported : {"(?=a)b", "\\1", "a{2", "[z-a]", "(a", "*a", "\\u0041"})
        CHECK_FALSE_MESSAGE(sample_for_pattern(unsupported, random).has_value(), unsupported);
}

TEST_CASE("stats: generated logs are the same for a seed, and realistic") {
    sample_trees samples;
    tree_library& library = samples.library;
    const load_result& outage = samples.outage;
    temp_dir dir;
    auto make = [&](const std::string& name, std::uint64_t seed) {
        generator_options o;
        o.sessions = 600;
        o.seed = seed;
        o.agents = 4;
        log_bulk_writer out;
        REQUIRE(out.open(dir.file(name)));
        generator_summary summary;
        std::uint64_t last_progress = 0;
        REQUIRE(generate_log(outage.loaded, &library, o, out, summary,
                             [&](std::uint64_t done) { last_progress = done; }));
        CHECK(last_progress == 600);
        return summary;
    };
    generator_summary a = make("a.db", 9);
    generator_summary b = make("b.db", 9);
    CHECK(a.sessions == 600);
    CHECK(a.events == b.events);
    CHECK(a.completed + a.escalated + a.abandoned + a.crashed == 600);
    CHECK(a.completed == b.completed);
    CHECK(a.unfillable_forms == 0);  // the sample trees' patterns are all fillable
    // Abandoned calls are a few percent, as asked (3%, plus crashed players).
    CHECK(a.abandoned >= 6);
    CHECK(a.abandoned <= 40);
    // Working hours, Monday to Friday, from the first working day on.
    CHECK(a.first_started_ms >= generator_options{}.start_ms + 8 * 3600 * 1000);

    auto dump = [&](const std::string& name) {
        log_reader reader;
        REQUIRE(reader.open(dir.file(name)));
        std::string text;
        REQUIRE(reader.scan_sessions({}, [&](const session_record& s, std::span<const event> events) {
            text += s.id + s.agent + std::to_string(s.started_ms) + "\n";
            for (const event& e : events) text += e.node + e.detail + std::to_string(e.time_ms) + "\n";
        }));
        return text;
    };
    CHECK(dump("a.db") == dump("b.db"));
    // Escalations carry the priority of the escalate node they ended on, as a player records it.
    {
        log_reader escalations;
        REQUIRE(escalations.open(dir.file("a.db")));
        std::uint64_t escalated = 0;
        REQUIRE(escalations.for_each_session({}, [&](const session_record& s, const std::vector<event>& events) {
            if (s.status != session_status::escalated) {
                CHECK(s.priority.empty());
                return;
            }
            ++escalated;
            // After-call notes may follow the end event.
            const auto end_at = std::find_if(events.rbegin(), events.rend(),
                                             [](const event& e) { return e.kind == event_kind::end; });
            REQUIRE(end_at != events.rend());
            const event& end = *end_at;
            auto in = end.tree_id == outage.loaded->id ? outage.loaded : library.get(end.tree_id).found;
            REQUIRE(in != nullptr);
            const node* n = in->find(s.end_node);
            REQUIRE(n != nullptr);
            CHECK(s.priority == (n->priority.empty() ? "normal" : n->priority));
            CHECK(end.priority == s.priority);
        }));
        CHECK(escalated == a.escalated);
        CHECK(escalated > 0);
    }
    generator_summary c = make("c.db", 10);
    CHECK(dump("c.db") != dump("a.db"));
    (void)c;

    // Every stay in the generated log is a realistic length, and calls are weekday calls.
    log_reader reader;
    REQUIRE(reader.open(dir.file("a.db")));
    statistics_options so;
    so.current = outage.loaded;
    so.library = &library;
    std::vector<tree_report> reports;
    REQUIRE(collect_reports(reader, {}, so, reports));
    const tree_report& r = reports.at(0);
    CHECK(r.sessions.started == 600);
    CHECK(r.sessions.back_presses > 0);
    CHECK(r.retired_nodes.empty());
    // The outage tree allows find: the generator uses it now and then, and the report
    // counts every such move as found, never as a link (a find between unlinked nodes
    // would show up as a retired link) or an exit.
    CHECK(a.finds > 0);
    CHECK(r.sessions.finds == a.finds);
    std::uint64_t found = 0;
    for (const node_figures& n : r.nodes) found += n.found;
    CHECK(found == a.finds);
    CHECK(r.retired_links.empty());
    for (const node_figures& n : r.nodes) {
        if (n.dwell.count == 0) continue;
        CHECK(n.dwell.median_ms >= 800);
        CHECK(n.dwell.median_ms <= 10 * 60'000);
    }
    // Moves out of a node add up to its exits.
    std::map<std::pair<std::string, std::string>, std::uint64_t> out_moves;
    for (const link_figures& l : r.links) out_moves[{l.from_tree, l.from}] += l.transitions;
    for (const node_figures& n : r.nodes) CHECK(out_moves[{n.tree_id, n.node_id}] == n.exits);
}

TEST_CASE("stats: a log read in parts on several threads gives the same figures as one read") {
    // Parts of a scan cover every session once.
    router_log log;
    log_reader reader;
    REQUIRE(reader.open(log.db));
    // Whole events come in id order, parts split by id; paths come from the trails in the
    // order sessions were stored, parts split by rowid.
    std::vector<std::string> stored_order;
    REQUIRE(reader.scan_sessions(
        {}, [&](const session_record& s, std::span<const event>) { stored_order.push_back(s.id); }, true));
    REQUIRE(stored_order.size() == 5);
    // Ids are stored in descending order, so id order and storage order differ.
    REQUIRE_FALSE(std::is_sorted(stored_order.begin(), stored_order.end()));
    for (bool paths_only : {false, true}) {
        for (unsigned count : {1u, 2u, 3u, 7u}) {
            std::vector<std::string> ids;
            for (unsigned index = 0; index < count; ++index) {
                REQUIRE(reader.scan_sessions(
                    {}, [&](const session_record& s, std::span<const event>) { ids.push_back(s.id); }, paths_only,
                    {index, count}));
            }
            CAPTURE(paths_only);
            CAPTURE(count);
            if (paths_only) CHECK(ids == stored_order);
            else CHECK(std::is_sorted(ids.begin(), ids.end()));
            std::sort(ids.begin(), ids.end());
            CHECK(ids.size() == 5);
            CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
        }
    }
    CHECK_FALSE(reader.scan_sessions({}, [](const session_record&, std::span<const event>) {}, true, {2, 2}));

    auto json_with = [&](std::size_t threads) {
        statistics_options o;
        o.by_agent = true;
        o.threads = threads;
        report_scope scope;
        scope.by_agent = true;
        return report_json(log.report(o), scope);
    };
    const std::string one = json_with(1);
    CHECK(json_with(2) == one);
    CHECK(json_with(3) == one);
    CHECK(json_with(9) == one);  // more parts than sessions

    // A generated log: more samples, loops, a jumped tree.
    sample_trees samples;
    tree_library& library = samples.library;
    const load_result& outage = samples.outage;
    temp_dir dir;
    {
        log_bulk_writer out;
        REQUIRE(out.open(dir.file("g.db")));
        generator_options g;
        g.sessions = 1500;
        g.seed = 3;
        generator_summary summary;
        REQUIRE(generate_log(outage.loaded, &library, g, out, summary));
    }
    log_reader generated;
    REQUIRE(generated.open(dir.file("g.db")));
    auto generated_json = [&](std::size_t threads) {
        statistics_options o;
        o.current = outage.loaded;
        o.library = &library;
        o.by_agent = true;
        o.threads = threads;
        std::vector<tree_report> reports;
        REQUIRE(collect_reports(generated, {}, o, reports));
        report_scope scope;
        scope.by_agent = true;
        return report_json(reports, scope);
    };
    const std::string single = generated_json(1);
    CHECK(single.find("\"exact\": false") != std::string::npos);  // some figures in buckets
    CHECK(generated_json(2) == single);
    CHECK(generated_json(4) == single);
}

TEST_CASE("stats: reports read through trails equal reports read from the events table") {
    sample_trees samples;
    tree_library& library = samples.library;
    const load_result& outage = samples.outage;
    temp_dir dir;
    generator_options g;
    g.sessions = 800;
    g.seed = 11;
    g.back_rate = 0.2;  // plenty of back presses, restarts and abandoned calls
    {
        log_bulk_writer out;
        REQUIRE(out.open(dir.file("g.db")));
        generator_summary summary;
        REQUIRE(generate_log(outage.loaded, &library, g, out, summary));
    }
    router_log written;  // written event by event by log_writer, versions 1 and 2 of a tree
    auto json_of = [&](const std::string& db, bool trails, const log_filter& f) {
        log_read_options ro;
        ro.read_trails = trails;
        log_reader reader;
        REQUIRE(reader.open(db, ro));
        statistics_options o;
        o.library = &library;
        o.by_agent = true;
        o.threads = 2;
        std::vector<tree_report> reports;
        REQUIRE(collect_reports(reader, f, o, reports));
        report_scope scope;
        scope.by_agent = true;
        return report_json(reports, scope);
    };
    for (const auto& [db, agent] : {std::pair{dir.file("g.db"), "Ben Okafor"}, std::pair{written.db, "bo"}}) {
        log_filter some;
        some.since_ms = 0;
        some.agent = agent;
        for (const log_filter& f : {log_filter{}, some}) {
            CAPTURE(db);
            CAPTURE(f.agent);
            const std::string from_events = json_of(db, false, f);
            CHECK(from_events.find("\"nodes\"") != std::string::npos);
            CHECK(json_of(db, true, f) == from_events);
        }
    }
}

TEST_CASE("stats: the report does not depend on the order sessions are added in") {
    sample_trees samples;
    temp_dir dir;
    generator_options g;
    g.sessions = 300;
    g.seed = 5;
    {
        log_bulk_writer out;
        REQUIRE(out.open(dir.file("g.db")));
        generator_summary summary;
        REQUIRE(generate_log(samples.outage.loaded, &samples.library, g, out, summary));
    }
    std::vector<std::pair<session_record, std::vector<event>>> all;
    log_reader reader;
    REQUIRE(reader.open(dir.file("g.db")));
    REQUIRE(reader.for_each_session({}, [&](const session_record& s, const std::vector<event>& events) {
        all.emplace_back(s, events);
    }));
    REQUIRE(all.size() == 300);
    // With the tree files (file order) and without them (the log alone: ordered by ids).
    for (const bool with_files : {true, false}) {
        CAPTURE(with_files);
        statistics_options o;
        if (with_files) o.library = &samples.library;
        o.by_agent = true;
        auto report_of = [&](auto first, auto last) {
            path_statistics stats("internet-outage", o);
            for (auto it = first; it != last; ++it) stats.add(it->first, it->second);
            report_scope scope;
            scope.by_agent = true;
            return report_json({stats.report()}, scope);
        };
        const std::string forward = report_of(all.begin(), all.end());
        CHECK(forward.find("identity-verification") != std::string::npos);  // a jumped tree too
        CHECK(report_of(all.rbegin(), all.rend()) == forward);
    }
}

TEST_CASE("stats: parts of one split miss no session and read none twice while players add sessions") {
    sample_trees samples;
    temp_dir dir;
    const std::string db = dir.file("g.db");
    auto add_sessions = [&](std::uint64_t seed) {
        log_bulk_writer out;
        REQUIRE(out.open(db));
        generator_options g;
        g.sessions = 40;
        g.seed = seed;
        generator_summary summary;
        REQUIRE(generate_log(samples.outage.loaded, &samples.library, g, out, summary));
    };
    add_sessions(1);
    for (const bool paths_only : {true, false}) {
        CAPTURE(paths_only);
        log_reader reader;
        REQUIRE(reader.open(db));
        std::uint64_t before = 0;
        REQUIRE(reader.count_sessions({}, before));
        log_split split;
        REQUIRE(reader.split(2, paths_only, split));
        std::vector<std::string> ids;
        auto read_part = [&](unsigned index) {
            REQUIRE(reader.scan_sessions(
                {}, [&](const session_record& s, std::span<const event>) { ids.push_back(s.id); }, paths_only,
                {index, 2, &split}));
        };
        read_part(0);
        add_sessions(paths_only ? 2 : 3);  // a player stores more calls between the two reads
        read_part(1);
        std::sort(ids.begin(), ids.end());
        CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());  // none read twice
        // Part 0 read before the new calls, part 1 after: each old session once, and the new
        // ones in the last part's range (rowids after the old ones) or wherever their ids fall.
        CHECK(ids.size() >= before);
        if (paths_only) CHECK(ids.size() == before + 40);
    }
    // A split for another way of reading is refused, not misused.
    log_reader reader;
    REQUIRE(reader.open(db));
    log_split by_id;
    REQUIRE(reader.split(2, false, by_id));
    CHECK_FALSE(reader.scan_sessions({}, [](const session_record&, std::span<const event>) {}, true, {0, 2, &by_id}));
}

TEST_CASE("stats: a link that several answers lead along is labelled with all of them") {
    const char* xml = R"(<tree format="1" id="two" start="a">
  <variables><variable name="n" type="number" default="0"/></variables>
  <question id="a" title="A">
    <choice to="l">Verified by callback</choice>
    <choice to="l" set="n = 1">Verified by badge</choice>
    <choice to="c">Not verified</choice>
  </question>
  <logic id="l"><branch if="n == 1" to="c"/><branch if="n == 2" to="c"/><otherwise to="c"/></logic>
  <end id="c" outcome="resolved"/>
</tree>)";
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    auto t = load(xml, "two.xml");
    manual_clock clk(t0);
    {
        log_writer w;
        REQUIRE(w.open(db));
        w.begin_session(info_for(*t, xml, "ana", clk.now_ms(), "s1"));
        session s(t, nullptr, clk, &w, "ana");
        clk.advance(1000);
        REQUIRE(s.choose(1));  // the badge: the second answer to 'l'
    }
    statistics_options o;
    o.current = t;
    const tree_report r = reports_of(db, o, true).at(0);
    // Before: "Verified by callback", the first answer to 'l', though no call took it.
    CHECK(link_of(r, "a", "l").label == "Verified by callback / Verified by badge");
    CHECK(link_of(r, "a", "l").transitions == 1);
    CHECK(link_of(r, "a", "c").label == "Not verified");
    CHECK(link_of(r, "l", "c").label == "if n == 1 / if n == 2 / otherwise");
}

TEST_CASE("stats: calls abandoned inside a jumped tree are counted for that tree, not on the jump") {
    const char* root_xml = R"(<tree format="1" id="r" start="j">
  <jump id="j" tree="sub" to="e"/>
  <end id="e" outcome="resolved"/>
</tree>)";
    const char* sub_xml = R"(<tree format="1" id="sub" start="x">
  <question id="x" title="Sub X"><choice to="sub-end">ok</choice></question>
  <end id="sub-end" outcome="resolved"/>
</tree>)";
    auto root = load(root_xml, "r.xml");
    auto sub = load(sub_xml, "sub.xml");
    tree_library library;
    library.add(root);
    library.add(sub);
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    manual_clock clk(t0);
    {
        log_writer w;
        REQUIRE(w.open(db));
        for (const char* id : {"s1", "s2"}) {
            w.begin_session(info_for(*root, root_xml, "ana", clk.now_ms(), id));
            session s(root, &library, clk, &w, "ana");
            REQUIRE(s.current().node_ptr->id == "x");
            clk.advance(3000);
            s.abandon("caller hung up");
        }
    }
    statistics_options o;
    o.current = root;
    o.library = &library;
    const tree_report r = reports_of(db, o, true).at(0);
    CHECK(r.sessions.abandoned == 2);
    CHECK(r.find_node("r", "j")->abandoned_here == 0);
    CHECK(r.abandoned_in("sub") == 2);
    CHECK(r.abandoned_in("r") == 0);
}

TEST_CASE("stats: abandon reasons are counted as one whatever their case and spaces, the rarest merged") {
    const char* xml = R"(<tree format="1" id="acw" start="a">
  <question id="a" title="A"><choice to="c">Done</choice></question>
  <end id="c" outcome="resolved"/>
</tree>)";
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    auto t = load(xml, "acw.xml");
    manual_clock clk(t0);
    std::vector<std::string> reasons{"Caller hung up ", "caller  hung up", "CALLER HUNG UP"};
    for (int i = 0; i < 12; ++i) reasons.push_back("rare reason " + std::to_string(i));
    {
        log_writer w;
        REQUIRE(w.open(db));
        int n = 0;
        for (const std::string& reason : reasons) {
            w.begin_session(info_for(*t, xml, "ana", clk.now_ms(), "s" + std::to_string(n++)));
            session s(t, nullptr, clk, &w, "ana");
            clk.advance(1000);
            s.abandon(reason);
        }
    }
    statistics_options o;
    o.current = t;
    const tree_report r = reports_of(db, o, true).at(0);
    REQUIRE(r.outcomes.size() == max_abandon_reasons + 1);
    CHECK(r.outcomes[0].outcome == "caller hung up");
    CHECK(r.outcomes[0].sessions == 3);
    // 12 rare reasons: 9 listed (with the first, 10), the other 3 in one row.
    CHECK(r.outcomes.back().outcome == "3 other reasons");
    CHECK(r.outcomes.back().sessions == 3);
    std::uint64_t total = 0;
    for (const outcome_figures& f : r.outcomes) total += f.sessions;
    CHECK(total == reasons.size());
}

TEST_CASE("stats: CSV and JSON of an old log with control bytes and invalid UTF-8 are clean text") {
    // Logs written before the session cleaned typed text may hold any bytes.
    tree_report r;
    r.tree_id = "t";
    r.outcomes.push_back({session_status::abandoned, "hung\x1b[2J\xff up", 1, 1.0});
    const std::string csv = report_csv({r}, {});
    CHECK(csv.find("t,outcome,abandoned:hung\xEF\xBF\xBD[2J\xEF\xBF\xBD up,sessions,1\n") != std::string::npos);
    const std::string json = report_json({r}, {});
    CHECK_FALSE(find_invalid_utf8(json).has_value());
    CHECK(json.find("hung\\u001b[2J\xEF\xBF\xBD up") != std::string::npos);
}

TEST_CASE("statistics: a whole percent never says none or all of a share that is neither") {
    CHECK(whole_percent(0) == "0%");
    CHECK(whole_percent(8.0 / 2000) == "<1%");
    CHECK(whole_percent(0.0049) == "<1%");
    CHECK(whole_percent(0.005) == "1%");
    CHECK(whole_percent(0.334) == "33%");
    CHECK(whole_percent(0.5) == "50%");
    CHECK(whole_percent(0.994) == "99%");
    CHECK(whole_percent(1992.0 / 2000) == ">99%");
    CHECK(whole_percent(1999.0 / 2000) == ">99%");
    CHECK(whole_percent(1) == "100%");
}

// [SECTION] Escalations by priority

namespace {

// A schema 2 log (one escalation to Billing with no priority recorded, one completed and
// one abandoned call), updated by the writer that adds real calls: two urgent and one high
// to Billing, one normal to Network.
struct priority_log {
    temp_dir dir;
    std::string db = dir.file("sessions.db");
    // Billing takes urgent and high hand-offs, Network the default (normal) ones.
    std::string xml = test_data("handoffs.xml");
    std::shared_ptr<const tree> t = load(xml.c_str(), "handoffs.xml");

    priority_log() {
        run_sql_creating(db, test_data("logs/schema-2.sql"));
        manual_clock clk(t0 + 100'000);
        log_writer w;
        REQUIRE(w.open(db));
        for (int choice : {1, 1, 2, 3, 0}) {
            clk.advance(60'000);
            w.begin_session(info_for(*t, xml.c_str(), "ana", clk.now_ms()));
            session s(t, nullptr, clk, &w, "ana");
            clk.advance(5000);
            REQUIRE(s.choose(choice));
            REQUIRE(s.finished());
        }
        REQUIRE(w.warning().empty());
    }

    std::vector<tree_report> report(std::size_t threads) const {
        statistics_options o;
        o.current = t;
        o.by_agent = true;
        o.threads = threads;
        return reports_of(db, o);
    }

    static std::string test_data(const std::string& name) {
        std::ifstream in(std::string(SIGNPOST_TEST_DATA) + "/" + name, std::ios::binary);
        std::string text{std::istreambuf_iterator<char>(in), {}};
        REQUIRE_MESSAGE(!text.empty(), name);
        return text;
    }

    static void run_sql_creating(const std::string& path, const std::string& sql) {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) == SQLITE_OK);
        char* error = nullptr;
        const int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &error);
        CHECK_MESSAGE(rc == SQLITE_OK, (error ? error : ""));
        sqlite3_free(error);
        sqlite3_close(raw);
    }
};

const outcome_figures& outcome_of(const std::vector<outcome_figures>& list, session_status status,
                                  const std::string& outcome) {
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const outcome_figures& o) { return o.status == status && o.outcome == outcome; });
    REQUIRE_MESSAGE(it != list.end(), outcome);
    return *it;
}

}  // namespace

TEST_CASE("stats: escalations are counted by priority, old ones as unknown, per team and per agent") {
    priority_log log;
    CHECK(priority_slot("urgent") == 0);
    CHECK(priority_slot("low") == 3);
    CHECK(priority_slot("") == 4);
    CHECK(priority_slot("soon") == 4);  // no priority a Signpost writes

    for (std::size_t threads : {1u, 3u}) {  // parts read on several threads merge the same
        CAPTURE(threads);
        auto reports = log.report(threads);
        REQUIRE(reports.size() == 1);
        const tree_report& r = reports[0];
        CHECK(r.sessions.started == 8);
        CHECK(r.sessions.escalated == 5);
        //                                                    urgent high normal low unknown
        CHECK(r.sessions.escalated_by_priority == priority_counts{2, 1, 1, 0, 1});
        // One row per team, its total split by priority.
        const outcome_figures& billing = outcome_of(r.outcomes, session_status::escalated, "Billing");
        CHECK(billing.sessions == 4);
        CHECK(billing.by_priority == priority_counts{2, 1, 0, 0, 1});
        const outcome_figures& network = outcome_of(r.outcomes, session_status::escalated, "Network");
        CHECK(network.sessions == 1);
        CHECK(network.by_priority == priority_counts{0, 0, 1, 0, 0});
        CHECK(outcome_of(r.outcomes, session_status::completed, "resolved").by_priority == priority_counts{});
        // The fixture's old escalation was ana's too.
        const agent_figures& ana = *std::find_if(r.agents.begin(), r.agents.end(),
                                                 [](const agent_figures& a) { return a.agent == "ana"; });
        CHECK(outcome_of(ana.outcomes, session_status::escalated, "Billing").by_priority ==
              priority_counts{2, 1, 0, 0, 1});
    }
}

TEST_CASE("stats: JSON and CSV give escalations by priority") {
    priority_log log;
    auto reports = log.report(1);
    report_scope scope;
    scope.log_path = "sessions.db";
    scope.by_agent = true;
    const std::string json = report_json(reports, scope);
    CHECK(json.find("\"format_version\": 4,") != std::string::npos);
    CHECK(json_block(json, "\"escalated_by_priority\": {") ==
          "\"escalated_by_priority\": {\n"
          "          \"urgent\": 2,\n"
          "          \"high\": 1,\n"
          "          \"normal\": 1,\n"
          "          \"low\": 0,\n"
          "          \"unknown\": 1\n"
          "        }");
    CHECK(json.find("\"status\": \"escalated\",\n"
                    "          \"outcome\": \"Billing\",\n"
                    "          \"sessions\": 4,\n"
                    "          \"share\": 0.5,\n"
                    "          \"by_priority\": {\n"
                    "            \"urgent\": 2,\n"
                    "            \"high\": 1,\n"
                    "            \"normal\": 0,\n"
                    "            \"low\": 0,\n"
                    "            \"unknown\": 1\n"
                    "          }\n") != std::string::npos);
    // Only escalations are split: a completed row has no by_priority.
    CHECK(json.find("\"outcome\": \"resolved\",\n          \"sessions\": 2,\n          \"share\": 0.25\n") !=
          std::string::npos);

    const std::string csv = report_csv(reports, scope);
    CHECK(csv.find("handoffs,sessions,,escalated,5\n"
                   "handoffs,sessions,,escalated_urgent,2\n"
                   "handoffs,sessions,,escalated_high,1\n"
                   "handoffs,sessions,,escalated_normal,1\n"
                   "handoffs,sessions,,escalated_low,0\n"
                   "handoffs,sessions,,escalated_unknown,1\n"
                   "handoffs,sessions,,abandoned,1\n") != std::string::npos);
    CHECK(csv.find("handoffs,outcome,escalated:Billing,sessions,4\n"
                   "handoffs,outcome,escalated:Billing,share,0.5\n"
                   "handoffs,outcome,escalated:Billing,sessions_urgent,2\n"
                   "handoffs,outcome,escalated:Billing,sessions_high,1\n"
                   "handoffs,outcome,escalated:Billing,sessions_normal,0\n"
                   "handoffs,outcome,escalated:Billing,sessions_low,0\n"
                   "handoffs,outcome,escalated:Billing,sessions_unknown,1\n") != std::string::npos);
    CHECK(csv.find("handoffs,outcome,escalated:Network,sessions_normal,1\n") != std::string::npos);
    CHECK(csv.find("handoffs,outcome,completed:resolved,sessions_") == std::string::npos);
}
