// The document: template, open, save, dirty state, diagnostics, autosave, recent files.

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "model/commands.hpp"
#include "model/node_box.hpp"
#include "model/files.hpp"
#include "model/problem_wording.hpp"
#include "signpost/clock.hpp"
#include "signpost/session.hpp"
#include "test_model_fixture.hpp"

using namespace signpost;
using namespace signpost::editor;
using model_test::temp_dir;
using model_test::text_of;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

void write(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool has_code(const diagnostics& list, std::string_view code) {
    for (const auto& d : list)
        if (d.code == code) return true;
    return false;
}

}  // namespace

TEST_CASE("model: new document from the template is a clean, laid out, runnable tree") {
    const auto d = document::from_template("my-script");
    CHECK(d->untitled());
    CHECK(d->display_name() == "untitled");
    CHECK(!d->dirty());
    const tree& t = d->current();
    CHECK(t.id == "my-script");
    REQUIRE(t.nodes.size() == 2);
    CHECK(t.nodes[0].kind == node_kind::question);
    CHECK(t.nodes[1].kind == node_kind::end);
    CHECK(t.find(t.start));
    CHECK(t.layout.size() == 2);
    CHECK(!has_errors(d->problems()));
    CHECK(load_tree_string(text_of(*d)).ok());
    CHECK(document::from_template("../bad")->current().id == "new-tree");
}

TEST_CASE("model: a 40-node script built from the template with commands only") {
    auto d = document::from_template("built");
    std::string previous = "question-1";
    // Each new question hangs off the previous one's "add answer" pin.
    for (int i = 0; i < 38; ++i) {
        const tree& t = d->current();
        const node& n = *t.find(previous);
        const auto error = d->execute(connect_to_new_node({previous, pin_slot::choice, static_cast<int>(n.choices.size())},
                                                          node_kind::question, {300.0 * (i + 1), 0}));
        REQUIRE(!error);
        REQUIRE(d->last_created().size() == 1);
        previous = d->last_created()[0];
    }
    REQUIRE(!d->execute(connect({previous, pin_slot::choice, 0}, "end-1")));
    CHECK(d->current().nodes.size() == 40);
    d->revalidate();
    CHECK(!has_errors(d->problems()));
    CHECK(d->dirty());
}

TEST_CASE("model: dirty follows the saved revision through undo and redo") {
    temp_dir dir;
    auto d = model_test::sample_document();
    CHECK(!d.dirty());
    REQUIRE(!d.execute(set_node_property("power", node_property::title, "A")));
    CHECK(d.dirty());
    d.undo();
    CHECK(!d.dirty());
    d.redo();
    CHECK(d.dirty());
    REQUIRE(!d.save_as(dir.file("sample.xml")));
    CHECK(!d.dirty());
    CHECK(d.display_name() == "sample.xml");
    d.undo();
    CHECK(d.dirty());
    d.redo();
    CHECK(!d.dirty());
    // Typing right after a save starts a new step, so undo returns to the saved state.
    const auto t0 = history::clock::now();
    REQUIRE(!d.execute(set_node_property("power", node_property::title, "AB"), t0));
    CHECK(d.dirty());
    d.undo();
    CHECK(!d.dirty());
    CHECK(d.current().find("power")->title == "A");
}

TEST_CASE("model: save writes canonical text that reloads equal") {
    temp_dir dir;
    auto d = model_test::sample_document();
    REQUIRE(!d.execute(add_node(node_kind::escalate, {10, 20})));
    REQUIRE(!d.execute(set_node_property("power", node_property::text, "Line one\nLine two")));
    CHECK(d.save().has_value());  // untitled
    const std::string path = dir.file("sample.xml");
    REQUIRE(!d.save_as(path));
    CHECK(d.path() == path);
    const std::string on_disk = read(path);
    CHECK(on_disk == text_of(d));
    const auto reopened = document::open(path);
    REQUIRE(reopened.doc);
    CHECK(text_of(*reopened.doc) == on_disk);
    CHECK(!reopened.doc->dirty());
    CHECK(!reopened.recovery);
    CHECK(d.save_as((dir.path / "missing-dir" / "x.xml").string()).has_value());
    CHECK(d.path() == path);
}

TEST_CASE("model: open a broken file shows it with its problems, a non-tree gives only problems") {
    temp_dir dir;
    const std::string broken = dir.file("broken.xml");
    write(broken, R"(<tree format="1" id="broken" start="a">
  <question id="a"><text>Hi</text><choice to="nowhere">Go</choice></question>
</tree>
)");
    const auto r = document::open(broken);
    REQUIRE(r.doc);
    CHECK(has_code(r.problems, "unknown-target"));
    CHECK(has_code(r.doc->problems(), "unknown-target"));
    CHECK(!r.doc->problems_stale());
    CHECK(r.doc->current().find_layout("a"));  // laid out on open

    const std::string junk = dir.file("junk.xml");
    write(junk, "this is not xml");
    const auto j = document::open(junk);
    CHECK(!j.doc);
    CHECK(!j.problems.empty());
    const auto missing = document::open(dir.file("none.xml"));
    CHECK(!missing.doc);
    CHECK(has_code(missing.problems, "read-error"));
}

TEST_CASE("model: problems are said in the editor's words, not the file's tags") {
    temp_dir dir;
    const std::string path = dir.file("tags.xml");
    write(path, R"(<tree format="1" id="tags" start="a">
  <question id="a"><text>Hi {who}</text><choice to="">Go</choice><choice to="c">Stop</choice></question>
  <step id="c" to=""><text>Step</text></step>
  <question id="d"><text>No answers</text></question>
</tree>
)");
    const auto r = document::open(path);
    REQUIRE(r.doc);
    std::string all;
    for (const diagnostic& d : r.doc->problems()) all += d.message + "\n";
    INFO(all);
    CHECK(all.find('<') == std::string::npos);
    CHECK(all.find("answer leads nowhere; link it to a node") != std::string::npos);
    CHECK(all.find("step leads nowhere; link it to a node") != std::string::npos);
    CHECK(all.find("has no answer; add at least one") != std::string::npos);
    CHECK(all.find("add it under Variables") != std::string::npos);
    CHECK(in_editor_terms("form 'f' has no <field>; add one or use a <step>") ==
          "form 'f' has no field; add one, or change the node to a step");
    // Deleting the start node leaves an empty start: said as the editor fixes it, not as
    // "start node '' does not exist".
    REQUIRE_FALSE(r.doc->execute(delete_nodes({r.doc->current().start})));
    r.doc->revalidate();
    bool said = false;
    for (const diagnostic& d : r.doc->problems()) said |= d.message.find("there is no start node; pick one") == 0;
    CHECK(said);
    REQUIRE(r.doc->undo());
    // The same after an edit, when the check runs again.
    REQUIRE_FALSE(r.doc->execute(set_tree_header([&] {
        tree_header h = header_of(r.doc->current());
        h.title = "Tags";
        return h;
    }())));
    r.doc->revalidate();
    for (const diagnostic& d : r.doc->problems()) CHECK(d.message.find('<') == std::string::npos);
}

TEST_CASE("model: open keeps positions and places only the nodes without one") {
    temp_dir dir;
    const std::string path = dir.file("partial.xml");
    write(path, R"(<tree format="1" id="partial" start="a">
  <step id="a" to="b"><text>A</text></step>
  <end id="b" outcome="resolved"/>
  <layout><pos node="a" x="5" y="7"/></layout>
</tree>
)");
    const auto r = document::open(path);
    REQUIRE(r.doc);
    CHECK(position_of(r.doc->current(), "a") == vec2{5, 7});
    const auto b = position_of(r.doc->current(), "b");
    REQUIRE(b);
    CHECK(b->x >= 5 + node_width);
    CHECK(!r.doc->dirty());
}

TEST_CASE("model: a broken file's work in progress survives save and reopen unchanged") {
    // Found by fuzz_editor: each of these came back different after a save and reopen.
    temp_dir dir;
    const std::string path = dir.file("wip.xml");
    write(path, R"(<tree format="1" id="wip" start="a">
  <variables><variable name="who" type="text" label="Caller"/></variables>
  <form id="a" to="b"><field var="who"/></form>
  <escalate id="b" team="Desk" priority="whenever"/>
  <end id="b" outcome="resolved"/>
</tree>
)");
    const auto r = document::open(path);
    REQUIRE(r.doc);
    // Two nodes named b, neither placed: one <pos> for the id, not two.
    std::size_t b_entries = 0;
    for (const auto& e : r.doc->current().layout) b_entries += e.node == "b";
    CHECK(b_entries == 1);
    // The wrong priority is kept as written (and reported), not swapped for "normal".
    CHECK(r.doc->current().nodes[1].priority == "whenever");
    // A field added without a label gets the one the loader would give it.
    REQUIRE_FALSE(r.doc->execute(add_field("a", field{"who", "", false, "", "", {}})));
    CHECK(r.doc->current().nodes[0].fields.back().label == "Caller");
    const std::string saved = save_tree_string(r.doc->current());
    const load_result again = load_tree_string(saved, "wip.xml");
    REQUIRE(again.loaded);
    CHECK(save_tree_string(*again.loaded) == saved);
}

TEST_CASE("model: diagnostics go stale on edits and refresh lazily in the background") {
    auto d = model_test::sample_document();
    d.revalidate();
    CHECK(!has_errors(d.problems()));
    CHECK(!d.problems_stale());
    const auto t0 = document::clock::now();
    CHECK(!d.revalidate_if_due(t0 + 1h, 10s));  // nothing to do
    CHECK(!d.validating());
    REQUIRE(!d.execute(set_node_property("reboot", node_property::to, "ghost")));
    CHECK(d.problems_stale());
    CHECK(!has_errors(d.problems()));  // not yet refreshed
    // Just validated: the interval holds it back.
    CHECK(!d.revalidate_if_due(t0, 10s));
    CHECK(!d.validating());
    d.revalidate_if_due(t0 + 11s, 10s);
    CHECK(d.validating());
    d.wait_for_validation();
    CHECK(!d.validating());
    CHECK(!d.problems_stale());
    CHECK(has_code(d.problems(), "unknown-target"));
    bool points_at_node = false;
    for (const auto& p : d.problems())
        if (p.code == "unknown-target" && p.node_id == "reboot" && p.field == "to") points_at_node = true;
    CHECK(points_at_node);

    // An edit while a check runs leaves the result stale, and the next due call catches up.
    d.undo();
    d.revalidate_if_due(t0 + 30s, 10s);
    REQUIRE(!d.execute(set_node_property("acct", node_property::to, "ghost2")));
    d.wait_for_validation();
    CHECK(d.problems_stale());
    CHECK(!has_errors(d.problems()));  // the state the check saw
    d.revalidate_if_due(t0 + 60s, 10s);
    d.wait_for_validation();
    CHECK(!d.problems_stale());
    CHECK(has_code(d.problems(), "unknown-target"));
    // Polling collects a finished check by itself.
    d.undo();
    d.revalidate_if_due(t0 + 90s, 10s);
    bool collected = false;
    for (int i = 0; i < 5000 && !collected; ++i) {
        collected = d.revalidate_if_due(t0 + 90s, 10s);
        if (!collected) std::this_thread::sleep_for(1ms);
    }
    CHECK(collected);
    CHECK(!has_errors(d.problems()));
}

TEST_CASE("model: diagnostics see jumps through the file's folder") {
    temp_dir dir;
    write(dir.file("helper.xml"), R"(<tree format="1" id="helper" start="x"><end id="x" outcome="resolved"/></tree>
)");
    const std::string path = dir.file("main.xml");
    write(path, R"(<tree format="1" id="main" start="j">
  <jump id="j" tree="helper" to="e"/>
  <end id="e" outcome="resolved"/>
</tree>
)");
    auto r = document::open(path);
    REQUIRE(r.doc);
    CHECK(!has_errors(r.problems));
    REQUIRE(!r.doc->execute(set_node_property("j", node_property::tree_ref, "absent")));
    r.doc->revalidate();
    CHECK(has_code(r.doc->problems(), "missing-tree"));
}

TEST_CASE("model: a new file named before it exists names the document and is checked as that file") {
    temp_dir dir;
    write(dir.file("helper.xml"), R"(<tree format="1" id="helper" start="x"><end id="x" outcome="resolved"/></tree>
)");
    auto doc = document::from_template("printer-jam");
    CHECK(doc->display_name() == "untitled");
    const std::string path = dir.file("printer-jam.xml");
    doc->set_new_file(path);
    CHECK(doc->untitled());  // not written yet
    CHECK(doc->new_file() == path);
    CHECK(doc->display_name() == "printer-jam.xml");
    // A jump to a tree next to the new file is found there.
    const std::string question = doc->current().start;
    const node* q = doc->current().find(question);
    REQUIRE(q);
    REQUIRE(!doc->execute(change_kind(question, node_kind::jump)));
    REQUIRE(!doc->execute(set_node_property(question, node_property::tree_ref, "helper")));
    doc->revalidate();
    CHECK(!has_code(doc->problems(), "missing-tree"));
    REQUIRE(!doc->execute(set_node_property(question, node_property::tree_ref, "absent")));
    doc->revalidate();
    CHECK(has_code(doc->problems(), "missing-tree"));
    // Written there, it is the document's file.
    REQUIRE(!doc->save_as(path));
    CHECK(doc->path() == path);
    CHECK(doc->new_file().empty());
    CHECK(doc->display_name() == "printer-jam.xml");
}

TEST_CASE("model: revalidating a 5,000-node tree") {
    document d(model_test::big_tree(5000), "");
    CHECK(d.current().layout.size() == 5000);
    d.revalidate();
    CHECK(!has_errors(d.problems()));
    MESSAGE("revalidation of 5000 nodes (debug build): " << d.last_validation_time().count() / 1000 << " ms");
    const auto t0 = document::clock::now();
    REQUIRE(!d.execute(set_node_property("n10", node_property::title, "Edited")));
    const auto t1 = document::clock::now();
    MESSAGE("one edit on 5000 nodes: " << std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count() << " us");
    CHECK(d.problems_stale());

    // Select all, delete, undo: the big edits stay quick and exact.
    const std::string before = text_of(d);
    d.selection().select_all(d.current());
    const auto t2 = document::clock::now();
    REQUIRE(!d.execute(delete_nodes(d.selection().ids())));
    const auto t3 = document::clock::now();
    CHECK(d.current().nodes.empty());
    CHECK(d.selection().empty());
    REQUIRE(d.undo());
    const auto t4 = document::clock::now();
    CHECK(text_of(d) == before);
    MESSAGE("delete all 5000: " << std::chrono::duration_cast<std::chrono::milliseconds>(t3 - t2).count()
                                << " ms, undo: " << std::chrono::duration_cast<std::chrono::milliseconds>(t4 - t3).count()
                                << " ms");
    // Deleting one node in the middle touches only its neighbours.
    const auto t5 = document::clock::now();
    REQUIRE(!d.execute(delete_nodes({"n2500"})));
    const auto t6 = document::clock::now();
    MESSAGE("delete one of 5000: " << std::chrono::duration_cast<std::chrono::microseconds>(t6 - t5).count() << " us");
    d.undo();
    CHECK(text_of(d) == before);
}

// A sample file open in a document, with an unsaved edit in its autosave.
struct edited_file {
    temp_dir dir;
    std::string path = dir.file("sample.xml");
    open_result opened;
    std::string autosave;
    edited_file() {
        write(path, model_test::sample_xml);
        opened = document::open(path);
        REQUIRE(opened.doc);
        REQUIRE(!opened.doc->execute(set_node_property("power", node_property::title, "Unsaved")));
        REQUIRE(!opened.doc->write_autosave());
        autosave = opened.doc->autosave_path();
    }
};

TEST_CASE("model: autosave is offered back after a crash, and removed on save") {
    temp_dir dir;
    const std::string path = dir.file("sample.xml");
    write(path, model_test::sample_xml);
    auto r = document::open(path);
    REQUIRE(r.doc);
    CHECK(r.doc->autosave_path() == dir.file(".sample.xml.autosave"));
    CHECK(!recovery_for(path));
    REQUIRE(!r.doc->execute(set_node_property("power", node_property::title, "Unsaved")));
    REQUIRE(!r.doc->write_autosave());
    const std::string autosave = r.doc->autosave_path();
    CHECK(autosave == dir.file(".sample.xml.autosave"));
    CHECK(fs::exists(autosave));
    CHECK(!recovery_for(path));  // the editor is still running: nothing to recover
    r.doc.reset();               // it crashes (no clean close)
    // Make the timestamps unambiguous: the autosave is a minute newer.
    fs::last_write_time(autosave, fs::last_write_time(path) + 60s);
    const auto offer = document::open(path);
    REQUIRE(offer.recovery);
    CHECK(offer.recovery->autosave == autosave);
    CHECK(offer.recovery->file == path);
    CHECK_FALSE(offer.recovery->older_than_file);
    CHECK(offer.doc->current().find("power")->title == "Power");  // the file itself

    const auto recovered = document::open_recovered(path, {}, offer.recovery->autosave);
    REQUIRE(recovered.doc);
    CHECK(recovered.doc->path() == path);
    CHECK(recovered.doc->dirty());
    CHECK(recovered.doc->current().find("power")->title == "Unsaved");
    CHECK(recovered.doc->autosave_path() == autosave);  // it goes on autosaving there
    CHECK(autosave_lock::held(autosave));

    // An autosave older than the file (the editor crashed, then a git pull) is offered
    // too, marked, so the prompt can say the file is newer.
    const auto held = recovery_for(path);
    CHECK_FALSE(held);  // the recovered document holds it now
    REQUIRE(!recovered.doc->save());
    CHECK(!recovered.doc->dirty());
    CHECK(!fs::exists(autosave));
    CHECK(read(path).find("Unsaved") != std::string::npos);
}

TEST_CASE("model: an autosave older than the file is offered, marked") {
    edited_file f;
    f.opened.doc.reset();  // a crash, then a git pull
    fs::last_write_time(f.autosave, fs::last_write_time(f.path) - 60s);
    const auto older = recovery_for(f.path);
    REQUIRE(older);
    CHECK(older->older_than_file);
}

TEST_CASE("model: an autosave of the file's own text is not offered, one of a file that fails to open is") {
    edited_file f;
    const std::string& path = f.path;
    const std::string& autosave = f.autosave;
    f.opened.doc.reset();  // a crash
    REQUIRE(recovery_for(path));
    // Edits undone back to the file's text before the crash: nothing to recover.
    const std::string autosaved = read(autosave);
    const std::string file_text = read(path);
    write(autosave, file_text);
    CHECK(!recovery_for(path));
    write(autosave, autosaved);
    // A merge left conflict markers in the file: it does not open, its autosave is offered.
    write(path, "<<<<<<< HEAD\n" + file_text + "=======\n>>>>>>> theirs\n");
    const auto conflicted = document::open(path);
    CHECK(!conflicted.doc);
    REQUIRE(conflicted.recovery);
    CHECK(conflicted.recovery->file == path);
    CHECK(conflicted.recovery->autosave == autosave);
    const auto recovered = document::open_recovered(path, {}, conflicted.recovery->autosave);
    REQUIRE(recovered.doc);
    CHECK(recovered.doc->current().find("power")->title == "Unsaved");
}

TEST_CASE("model: two editors on one file autosave apart, and a crashed one's edits wait for it") {
    temp_dir dir;
    const std::string path = dir.file("sample.xml");
    write(path, model_test::sample_xml);
    auto a = document::open(path);
    auto b = document::open(path);
    REQUIRE(a.doc);
    REQUIRE(b.doc);
    REQUIRE(!a.doc->execute(set_node_property("power", node_property::title, "From A")));
    REQUIRE(!a.doc->write_autosave());
    REQUIRE(!b.doc->execute(set_node_property("reboot", node_property::title, "From B")));
    REQUIRE(!b.doc->write_autosave());
    const std::string a_autosave = a.doc->autosave_path();
    CHECK(a_autosave == dir.file(".sample.xml.autosave"));
    CHECK(b.doc->autosave_path() == dir.file(".sample.xml.2.autosave"));
    CHECK(read(a_autosave).find("From B") == std::string::npos);
    CHECK(autosave_lock::held(a_autosave));
    CHECK(autosave_lock::held(b.doc->autosave_path()));
    CHECK(!recovery_for(path));  // both running: neither is a crash's

    a.doc.reset();  // A crashes
    const auto offer = recovery_for(path);
    REQUIRE(offer);
    CHECK(offer->autosave == a_autosave);
    // B goes on, and so does a third editor opened now: neither writes over A's edits.
    REQUIRE(!b.doc->execute(set_node_property("fixed", node_property::title, "More from B")));
    REQUIRE(!b.doc->write_autosave());
    auto c = document::open(path);
    REQUIRE(c.recovery);  // C is offered A's edits
    REQUIRE(!c.doc->execute(set_node_property("fixed", node_property::title, "From C")));
    REQUIRE(!c.doc->write_autosave());
    CHECK(c.doc->autosave_path() == dir.file(".sample.xml.3.autosave"));
    CHECK(read(a_autosave).find("From A") != std::string::npos);
    CHECK(read(a_autosave).find("More from B") == std::string::npos);
    CHECK(read(a_autosave).find("From C") == std::string::npos);
    // B saves (over A's file change prompt): its own autosave goes, A's stays offered.
    REQUIRE(!b.doc->save(true));
    CHECK(!fs::exists(dir.file(".sample.xml.2.autosave")));
    CHECK(fs::exists(a_autosave));
    // Once C is closed too, only A's is left to offer.
    c.doc->discard_autosave();
    c.doc.reset();
    const auto left = recovery_for(path);
    REQUIRE(left);
    CHECK(left->autosave == a_autosave);
}

TEST_CASE("model: editors reaching one folder through a symlink share its autosave slots") {
    temp_dir dir;
    fs::create_directories(dir.path / "real");
    fs::create_directory_symlink(dir.path / "real", dir.path / "link");
    const std::string real = (dir.path / "real" / "sample.xml").string();
    const std::string link = (dir.path / "link" / "sample.xml").string();
    write(real, model_test::sample_xml);
    auto a = document::open(real);
    auto b = document::open(link);
    REQUIRE(!a.doc->execute(set_node_property("power", node_property::title, "From A")));
    REQUIRE(!a.doc->write_autosave());
    REQUIRE(!b.doc->execute(set_node_property("power", node_property::title, "From B")));
    REQUIRE(!b.doc->write_autosave());
    CHECK(fs::path(b.doc->autosave_path()).filename() == ".sample.xml.2.autosave");
    CHECK(read(dir.file("real/.sample.xml.autosave")).find("From A") != std::string::npos);
    CHECK(!recovery_for(link));  // A's is live, seen through the other path too
    CHECK(!recovery_for(real));
}

TEST_CASE("model: an autosave lock follows its folder when it is removed and made again, and through link/..") {
    temp_dir dir;
    fs::create_directories(dir.path / "work");
    const std::string path = dir.file("work/sample.xml");
    write(path, model_test::sample_xml);
    auto a = document::open(path);
    REQUIRE(!a.doc->execute(set_node_property("power", node_property::title, "From A")));
    REQUIRE(!a.doc->write_autosave());
    // A checkout of a branch without the folder, and back: a new folder (a new inode).
    fs::remove_all(dir.path / "work");
    fs::create_directories(dir.path / "work");
    write(path, model_test::sample_xml);
    REQUIRE(!a.doc->execute(set_node_property("power", node_property::title, "From A again")));
    REQUIRE(!a.doc->write_autosave());
    CHECK(autosave_lock::held(a.doc->autosave_path()));
    CHECK(!recovery_for(path));  // still A's, live

    // a/link/../x is real/x for the kernel (after a symlink, '..' leads to the link's parent).
    fs::create_directories(dir.path / "real" / "sub");
    fs::create_directories(dir.path / "a");
    fs::create_directory_symlink(dir.path / "real" / "sub", dir.path / "a" / "link");
    const std::string real = dir.file("real/sample.xml");
    write(real, model_test::sample_xml);
    auto b = document::open(dir.file("a/link/../sample.xml"));
    REQUIRE(b.doc);
    REQUIRE(!b.doc->execute(set_node_property("power", node_property::title, "From B")));
    REQUIRE(!b.doc->write_autosave());
    REQUIRE(fs::exists(dir.file("real/.sample.xml.autosave")));
    CHECK(!recovery_for(real));  // B's, live, seen from the plain path
}

TEST_CASE("model: Save As retires the old name's autosave") {
    edited_file f;
    REQUIRE(fs::exists(f.autosave));
    REQUIRE(!f.opened.doc->save_as(f.dir.file("copy.xml")));
    CHECK(!fs::exists(f.autosave));
    f.opened.doc.reset();
    CHECK(!recovery_for(f.path));  // nothing offered over the file the edits did not go to
    CHECK(!recovery_for(f.dir.file("copy.xml")));
}

TEST_CASE("model: untitled autosave lives under XDG_STATE_HOME") {
    temp_dir dir;
    const char* old = std::getenv("XDG_STATE_HOME");
    const std::string saved = old ? old : "";
    ::setenv("XDG_STATE_HOME", dir.path.c_str(), 1);
    auto d = document::from_template();
    auto e = document::from_template();  // a second editor with a new tree
    CHECK(d->autosave_path() == (dir.path / "signpost" / "untitled.xml.autosave").string());
    REQUIRE(!d->write_autosave());
    REQUIRE(!e->write_autosave());
    CHECK(e->autosave_path() == (dir.path / "signpost" / "untitled-2.xml.autosave").string());
    CHECK(fs::exists(d->autosave_path()));
    CHECK(!recovery_for(""));  // both running
    e.reset();                 // the second crashes
    const auto offer = recovery_for("");
    REQUIRE(offer);
    CHECK(offer->autosave == (dir.path / "signpost" / "untitled-2.xml.autosave").string());
    // Saved under a name: the untitled autosave is retired, not offered at the next start.
    const std::string untitled = d->autosave_path();
    REQUIRE(!d->save_as(dir.file("named.xml")));
    CHECK(!fs::exists(untitled));
    if (old)
        ::setenv("XDG_STATE_HOME", saved.c_str(), 1);
    else
        ::unsetenv("XDG_STATE_HOME");
}

TEST_CASE("model: a document removes only an autosave it wrote") {
    // Two editors on one file: the one that closes cleanly must not delete the other's.
    temp_dir dir;
    const std::string path = dir.file("shared.xml");
    write(path, model_test::sample_xml);
    const auto a = document::open(path);
    const auto b = document::open(path);
    REQUIRE(a.doc);
    REQUIRE(b.doc);
    REQUIRE_FALSE(a.doc->write_autosave());
    b.doc->discard_autosave();
    CHECK(fs::exists(a.doc->autosave_path()));
    a.doc->discard_autosave();
    CHECK_FALSE(fs::exists(a.doc->autosave_path()));
}

TEST_CASE("model: recent files, newest first, no repeats, at most ten, persisted") {
    temp_dir dir;
    const std::string store = dir.file("config/signpost/recent-files");
    recent_files r(store);
    r.load();
    CHECK(r.items().empty());
    for (int i = 0; i < 12; ++i) r.add(dir.file("t" + std::to_string(i) + ".xml"));
    CHECK(r.items().size() == recent_files::capacity);
    CHECK(r.items().front() == dir.file("t11.xml"));
    CHECK(r.items().back() == dir.file("t2.xml"));
    r.add(dir.file("t5.xml"));
    CHECK(r.items().front() == dir.file("t5.xml"));
    CHECK(r.items().size() == 10);
    r.add(dir.file("sub/../t6.xml"));  // the same file, written differently
    CHECK(r.items().front() == dir.file("t6.xml"));
    CHECK(r.items().size() == 10);
    r.remove(dir.file("t11.xml"));
    CHECK(r.items().size() == 9);
    REQUIRE(!r.save());
    recent_files again(store);
    again.load();
    CHECK(again.items() == r.items());
    CHECK(recent_files(std::string()).store().find("signpost/recent-files") != std::string::npos);
}

TEST_CASE("model: jump targets are found in the library folders, not only next to the file") {
    temp_dir dir;
    fs::create_directories(dir.file("scripts"));
    fs::create_directories(dir.file("shared"));
    const std::string main_path = dir.file("scripts/main.xml");
    write(main_path, R"(<tree format="1" id="main" start="check">
  <jump id="check" tree="verify-id" to="done"/>
  <end id="done" outcome="resolved"/>
</tree>
)");
    write(dir.file("shared/verify-id.xml"), R"(<tree format="1" id="verify-id" start="ok">
  <end id="ok" outcome="verified"/>
</tree>
)");
    const auto alone = document::open(main_path);
    REQUIRE(alone.doc);
    CHECK(has_code(alone.doc->problems(), "missing-tree"));

    const auto with_library = document::open(main_path, {dir.file("shared")});
    REQUIRE(with_library.doc);
    CHECK_FALSE(has_code(with_library.doc->problems(), "missing-tree"));
    CHECK(with_library.doc->library_dirs() == std::vector<std::string>{dir.file("shared")});

    // Changing the folders makes the problems stale; the next check uses them.
    alone.doc->set_library_dirs({dir.file("shared")});
    CHECK(alone.doc->problems_stale());
    alone.doc->revalidate();
    CHECK_FALSE(has_code(alone.doc->problems(), "missing-tree"));
    CHECK_FALSE(alone.doc->problems_stale());
}

TEST_CASE("model: every starter template is a clean, runnable, laid out tree") {
    const auto starters = starter_templates();
    REQUIRE(starters.size() >= 4);
    CHECK(starters[0].name == "Blank");
    for (const starter_template& starter : starters) {
        CAPTURE(starter.name);
        CHECK_FALSE(starter.summary.empty());
        const auto d = document::from_starter(starter);
        REQUIRE(d);
        CHECK(d->path().empty());
        CHECK(d->current().id == "new-tree");
        // No error and no warning: authors start from something the checker is happy with.
        for (const auto& p : d->problems()) CHECK_MESSAGE(p.level == severity::info, format(p));
        for (const auto& n : d->current().nodes) CHECK(d->current().find_layout(n.id));
        // The template is the tree, not a placeholder: its text came through.
        CHECK(d->current().nodes.size() >= 2);
        CHECK(save_tree_string(d->current()).find(std::string(starter.name == "Blank" ? "First question"
                                                                                        : starter.name)) !=
              std::string::npos);
    }
}

namespace {

// A starter's tree, loaded as the player would run it.
std::shared_ptr<const tree> starter_tree(std::string_view name) {
    for (const starter_template& starter : starter_templates())
        if (starter.name == name) {
            load_result r = load_tree_string(std::string(starter.xml), "new-tree.xml");
            REQUIRE(r.ok());
            return r.loaded;
        }
    FAIL("no starter template named " << name);
    return nullptr;
}

void pick(session& s, std::string_view label) {
    INFO("at " << s.current().title << ", choosing '" << label << "'");
    const auto& choices = s.current().choices;
    for (std::size_t i = 0; i < choices.size(); ++i)
        if (choices[i].label.find(label) != std::string::npos) {
            REQUIRE(s.choose(static_cast<int>(i)).ok);
            return;
        }
    FAIL("no visible choice contains the label");
}

void fill(session& s, const std::map<std::string, std::string>& inputs) {
    INFO("at " << s.current().title);
    const action_result r = s.submit(inputs);
    std::string errors = r.error;
    for (const auto& e : r.field_errors) errors += "\n" + e.variable + ": " + e.message;
    INFO(errors);
    REQUIRE(r.ok);
}

}  // namespace

TEST_CASE("model: the Internal escalation template briefs the manager with the request's own urgency") {
    const auto t = starter_tree("Internal escalation");
    const std::map<std::string, std::string> request = {{"requester", "Ana Ruiz"},
                                                        {"department", "Billing"},
                                                        {"need", "A refund report for Q1"},
                                                        {"deadline", "2026-04-01"}};
    std::set<std::string> priorities;
    for (const std::string urgency : {"low", "normal", "urgent"}) {
        CAPTURE(urgency);
        manual_clock clk;
        session s(t, nullptr, clk);
        auto inputs = request;
        inputs["urgency"] = urgency;
        fill(s, inputs);
        pick(s, "not in time");
        pick(s, "your manager");
        fill(s, {{"tried", "Offered the Q4 report as a stop-gap"}});
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Team Manager");
        priorities.insert(s.priority());
        if (urgency != "normal") CHECK(s.priority() == urgency);
        // A brief the manager can read, not an instruction to the agent.
        for (const char* part : {"Ana Ruiz (Billing) needs: A refund report for Q1", "2026-04-01",
                                 "Offered the Q4 report as a stop-gap"})
            CHECK(s.handoff().find(part) != std::string::npos);
        CHECK(s.handoff().find("Brief your manager") == std::string::npos);
    }
    CHECK(priorities.size() == 3);

    SUBCASE("beyond the manager: the department head hears what the manager said") {
        manual_clock clk;
        session s(t, nullptr, clk);
        auto inputs = request;
        inputs["urgency"] = "urgent";
        fill(s, inputs);
        pick(s, "not in time");
        pick(s, "department head");
        fill(s, {{"tried", "Offered the Q4 report"}, {"manager_answer", "No capacity until May"}});
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Department Head");
        CHECK(s.priority() == "urgent");
        CHECK(s.handoff().find("No capacity until May") != std::string::npos);
    }
    SUBCASE("accepted: the owner and date confirmed are the ones captured") {
        manual_clock clk;
        session s(t, nullptr, clk);
        auto inputs = request;
        inputs["urgency"] = "low";
        fill(s, inputs);
        pick(s, "Yes");
        fill(s, {{"owner", "Kim Lee"}, {"due", "2026-03-28"}});
        REQUIRE(s.status() == session_status::completed);
        CHECK(s.outcome() == "accepted");
        CHECK(s.current().text.find("owned by Kim Lee, due 2026-03-28") != std::string::npos);
    }
}

TEST_CASE("model: the Supervisor check-in template asks about safety and ends each kind of check-in apart") {
    const auto t = starter_tree("Supervisor check-in");
    const std::map<std::string, std::string> follow_up = {{"agent", "Jo"}, {"follow_up", "2026-03-16"}};
    std::set<std::string> outcomes;

    SUBCASE("fine: coaching") {
        manual_clock clk;
        session s(t, nullptr, clk);
        pick(s, "Fine");
        REQUIRE(s.next().ok);
        fill(s, follow_up);
        REQUIRE(s.status() == session_status::completed);
        CHECK(s.outcome() == "coached");
        CHECK(s.current().text.find("2026-03-16") != std::string::npos);
    }
    SUBCASE("tired: a break, then back on calls without coaching the same agent") {
        manual_clock clk;
        session s(t, nullptr, clk);
        pick(s, "Tired or upset");
        REQUIRE(s.next().ok);
        pick(s, "Better");
        REQUIRE(s.current().node_ptr->kind == node_kind::form);
        fill(s, follow_up);
        REQUIRE(s.status() == session_status::completed);
        CHECK(s.outcome() == "break-taken");
        for (const auto& crumb : s.breadcrumb()) CHECK(crumb.node_id != "coaching");
    }
    SUBCASE("something serious: the safety question comes first") {
        manual_clock clk;
        session s(t, nullptr, clk);
        pick(s, "Something serious");
        CHECK(s.current().text.find("harming yourself") != std::string::npos);
        SUBCASE("not at risk: support, then a follow-up") {
            pick(s, "No");
            REQUIRE(s.next().ok);
            fill(s, follow_up);
            REQUIRE(s.status() == session_status::completed);
            CHECK(s.outcome() == "support-offered");
        }
        SUBCASE("at risk or not sure: the EAP crisis line, urgently") {
            pick(s, "not sure");
            fill(s, {{"agent", "Jo"}, {"lead_phone", "ext 4021"}, {"where", "Floor 3, room 3.12"}});
            REQUIRE(s.status() == session_status::escalated);
            CHECK(s.priority() == "urgent");
            CHECK(s.handoff().find("ext 4021") != std::string::npos);
            CHECK(s.handoff().find("Floor 3, room 3.12") != std::string::npos);
        }
    }
    SUBCASE("still upset after the break: the safety question too") {
        manual_clock clk;
        session s(t, nullptr, clk);
        pick(s, "Tired or upset");
        REQUIRE(s.next().ok);
        pick(s, "Still upset");
        CHECK(s.current().text.find("harming yourself") != std::string::npos);
    }
    // Every ending reports something different.
    for (const auto& n : t->nodes)
        if (n.kind == node_kind::end) CHECK(outcomes.insert(n.outcome).second);
    CHECK(outcomes.size() >= 3);
}

TEST_CASE("model: renaming the tree away from its file name is flagged while editing") {
    temp_dir dir;
    const std::string path = dir.file("intake.xml");
    write(path, R"(<tree format="1" id="intake" start="a">
  <end id="a" outcome="resolved"/>
</tree>
)");
    auto r = document::open(path);
    REQUIRE(r.doc);
    CHECK_FALSE(has_code(r.doc->problems(), "id-file-mismatch"));
    tree_header h = header_of(r.doc->current());
    h.id = "intake-v2";
    REQUIRE_FALSE(r.doc->execute(set_tree_header(h)).has_value());
    r.doc->revalidate();
    CHECK(has_code(r.doc->problems(), "id-file-mismatch"));
    // An untitled document has no file name to disagree with.
    auto fresh = document::from_template("anything");
    CHECK_FALSE(has_code(fresh->problems(), "id-file-mismatch"));
}

TEST_CASE("model: opening a file with XML comments says how many (saving cannot keep them)") {
    temp_dir dir;
    const std::string path = dir.file("noted.xml");
    write(path, R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- owner: service desk leads -->
<tree format="1" id="noted" start="a">
  <!-- the only node -->
  <end id="a" outcome="resolved"/>
</tree>
)");
    const auto r = document::open(path);
    REQUIRE(r.doc);
    CHECK(r.comments == 2);
    const std::string plain = dir.file("plain.xml");
    write(plain, R"(<tree format="1" id="plain" start="a"><end id="a" outcome="resolved"/></tree>)");
    CHECK(document::open(plain).comments == 0);
}
