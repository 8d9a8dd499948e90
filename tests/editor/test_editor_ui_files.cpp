// Files in the editor window: the unsaved-changes prompt, Save on an untitled tree through
// the file dialog, Open, broken files, autosave and recovery.
#include "test_editor_ui_rig.hpp"

#include <iterator>

#include "model/commands.hpp"
#include "model/files.hpp"

using namespace editor_ui_test;

namespace {

std::string read_file(const std::string& path) { return read_whole(path).value_or(std::string()); }

// An edit through the canvas: drag the end node a little.
void nudge(rig& r, const std::string& id = "fixed") {
    const ImVec2 at = r.node_at(id);
    r.ui.drag(at, ImVec2(at.x + 60, at.y + 40));
    REQUIRE(r.doc().dirty());
}

// An edit, then the simulated seconds after which it is autosaved; the autosave's path.
std::string edit_and_autosave(rig& r) {
    nudge(r, r.doc().untitled() ? r.t().nodes.back().id : std::string("fixed"));
    r.now += std::chrono::seconds(6);
    r.settle();
    const std::string autosave = autosave_path_for(r.doc().path());
    REQUIRE(fs::exists(autosave));
    return autosave;
}

// A file the editor opens with an error (a misspelt element) and an XML comment: what its
// first save would drop.
const char* lossy_xml = R"(<tree format="1" id="lossy" start="a">
  <!-- ask the team lead before changing this -->
  <question id="a"><text>Ready?</text>
    <choice to="b">Yes</choice>
    <chioce to="b">Maybe</chioce>
  </question>
  <end id="b" outcome="resolved"/>
</tree>
)";

}  // namespace

TEST_CASE("editor files: closing with unsaved changes asks, and Don't save quits and drops the autosave") {
    rig r;
    nudge(r);
    CHECK_FALSE(r.app->request_close());
    r.settle();
    REQUIRE(r.drawn("prompt:Discard"));
    r.click("prompt:Discard");
    CHECK(r.app->quit_requested());
    CHECK_FALSE(fs::exists(autosave_path_for(r.tree_path)));
}

TEST_CASE("editor files: the prompt's Save writes the file, Cancel keeps editing") {
    rig r;
    nudge(r);
    CHECK_FALSE(r.app->request_close());
    r.settle();
    r.click("prompt:Cancel");
    CHECK_FALSE(r.app->quit_requested());
    CHECK(r.doc().dirty());
    r.settle();
    CHECK_FALSE(r.drawn("prompt:Save"));

    CHECK_FALSE(r.app->request_close());
    r.settle();
    r.click("prompt:Save");
    CHECK(r.app->quit_requested());
    const load_result saved = load_tree_file(r.tree_path);
    REQUIRE(saved.ok());
    CHECK(saved.loaded->find_layout("fixed")->x != 640);
}

TEST_CASE("editor files: New asks first, and Ctrl+S on an untitled tree saves through the dialog") {
    rig r;
    nudge(r);
    r.ui.press(ui::letter('N'), true);
    r.settle();
    r.click("prompt:Discard");
    REQUIRE(r.doc().untitled());
    CHECK(r.t().nodes.size() >= 2);  // the template: a question leading to an end
    CHECK(load_tree_file(r.tree_path).loaded->find_layout("fixed")->x == 640);  // not saved

    r.ui.press(ui::letter('S'), true);
    REQUIRE(r.app->dialog().visible());
    r.settle();
    r.click("dialog:path");
    r.ui.press(ui::letter('A'), true);
    r.ui.type(r.dir.file("fresh"));
    r.ui.press(ui::key::enter);
    r.settle();
    CHECK_FALSE(r.app->dialog().visible());
    CHECK(r.doc().path() == r.dir.file("fresh.xml"));
    CHECK_FALSE(r.doc().dirty());
    const load_result saved = load_tree_file(r.dir.file("fresh.xml"));
    REQUIRE(saved.loaded);
    CHECK(saved.ok());
}

TEST_CASE("editor files: New from a starter template asks first, then opens that template") {
    rig r;
    nudge(r);
    r.app->new_document(3);  // File > New from template > Supervisor check-in
    r.settle();
    REQUIRE(r.drawn("prompt:Discard"));
    CHECK(r.t().id != "new-tree");  // nothing replaced before the answer
    r.click("prompt:Discard");
    REQUIRE(r.doc().untitled());
    CHECK(r.t().title == "Supervisor check-in");
    CHECK(r.t().find("how-are-you"));
    CHECK_FALSE(r.doc().dirty());

    // Saved as a file, the template's placeholder id becomes the file's name: jumps find
    // trees by it.
    const std::string path = (r.dir.path / "lead-check-in.xml").string();
    REQUIRE(r.app->save_as(path));
    CHECK(r.t().id == "lead-check-in");
    const load_result saved = load_tree_file(path);
    REQUIRE(saved.loaded);
    CHECK(saved.loaded->id == "lead-check-in");
    CHECK(std::none_of(saved.problems.begin(), saved.problems.end(),
                       [](const diagnostic& d) { return d.code == "id-file-mismatch"; }));
}

TEST_CASE("editor files: opening a file with XML comments warns that saving drops them") {
    rig r(R"(<tree format="1" id="noted" start="a"><!-- keep me --><end id="a" outcome="resolved"/></tree>)",
          "noted.xml");
    CHECK(r.app->status().find("it has 1 XML comment, not kept when saving") != std::string::npos);
}

TEST_CASE("editor files: opening a file with a processing instruction warns that saving drops it") {
    rig r(R"(<?xml version="1.0" encoding="UTF-8"?>
<tree format="1" id="noted" start="a"><?todo ask security about the new SLA?><end id="a" outcome="resolved"/></tree>)",
          "noted.xml");
    CHECK(r.app->status().find("it has 1 processing instruction (<?...?>), not kept when saving") != std::string::npos);
    CHECK(r.app->lossy_save_warning().find("1 processing instruction") != std::string::npos);
}

TEST_CASE("editor files: Ctrl+O lists the folder and opens the file picked") {
    rig r;
    r.dir.write("other.xml", R"(<tree format="1" id="other" start="a"><end id="a" outcome="resolved"/></tree>)");
    r.ui.press(ui::letter('O'), true);
    r.settle();
    REQUIRE(r.drawn("dialog:router.xml"));
    r.click("dialog:other.xml");
    r.click("dialog:Open");
    r.settle();
    CHECK(r.t().id == "other");
    CHECK(r.doc().path() == r.dir.file("other.xml"));
}

TEST_CASE("editor files: a file that is not a tree shows its diagnostics and keeps the open tree") {
    rig r;
    const std::string bad = r.dir.write("broken.xml", "<tree format=\"1\" id=\"x\" start=\"a\">\n  <step id=\"a\"\n");
    r.app->open_file(bad);
    r.settle();
    CHECK(r.t().id == "router");
    CHECK(r.app->failed_path() == bad);
    REQUIRE_FALSE(r.app->failed_problems().empty());
    CHECK(r.app->failed_problems().front().code == "xml-syntax");
    CHECK(r.app->status_is_error());
}

TEST_CASE("editor files: a broken tree opens with its problems listed, and a click selects the node") {
    const char* xml = R"(<tree format="1" id="loose" start="a">
  <step id="a" to="nowhere"><text>Go on.</text></step>
  <end id="b" outcome="resolved"/>
</tree>
)";
    rig r(xml, "loose.xml");
    CHECK(r.t().id == "loose");
    REQUIRE_FALSE(r.app->failed_problems().empty());
    bool unknown = false;
    for (const diagnostic& d : r.doc().problems()) unknown |= d.code == "unknown-target" && d.node_id == "a";
    CHECK(unknown);
    r.click_row("problem:unknown-target:a");
    CHECK(r.doc().selection().primary() == "a");
}

TEST_CASE("editor files: autosave while editing, and after a crash the edits are offered back") {
    rig r;
    nudge(r);
    const vec2 moved = r.position("fixed");
    // The autosave runs every few seconds while there are unsaved edits.
    r.now += std::chrono::seconds(6);
    r.settle();
    const std::string autosave = autosave_path_for(r.tree_path);
    REQUIRE(fs::exists(autosave));

    // The editor "crashes" (no clean close) and starts again on the same file.
    r.restart_after_crash(r.tree_path);
    r.settle();
    REQUIRE(r.app->recovery_offer());
    CHECK(r.position("fixed") != moved);  // the file as saved
    r.click("recover:Recover");
    r.settle();
    CHECK(r.position("fixed") == moved);
    CHECK(r.doc().dirty());
    r.ui.press(ui::letter('S'), true);
    CHECK_FALSE(fs::exists(autosave));
    CHECK(load_tree_file(r.tree_path).loaded->find_layout("fixed")->x == moved.x);
}

TEST_CASE("editor files: an autosave older than the file (a crash, then a git pull) is still offered") {
    rig r;
    const std::string autosave = edit_and_autosave(r);
    const vec2 moved = r.position("fixed");
    // The editor crashes; a pull then changes the file (a new title), a minute later.
    std::string pulled = router_xml;
    pulled.replace(pulled.find("Router"), 6, "Pulled");
    r.dir.write("router.xml", pulled);
    fs::last_write_time(r.tree_path, fs::last_write_time(autosave) + std::chrono::seconds(60));

    r.restart_after_crash(r.tree_path);
    r.settle();
    REQUIRE(r.app->recovery_offer());
    CHECK(r.app->recovery_offer()->older_than_file);
    CHECK(r.t().title.find("Pulled") != std::string::npos);  // the file as pulled, until the author says
    r.click("recover:Recover");
    r.settle();
    CHECK(r.position("fixed") == moved);
    CHECK(r.doc().dirty());
    CHECK(fs::exists(autosave));  // still the only copy of those edits until saved
}

TEST_CASE("editor files: a file that no longer opens offers its autosave, and recovering takes its place") {
    rig r;
    const std::string autosave = edit_and_autosave(r);
    const vec2 moved = r.position("fixed");
    // The editor crashes; a merge then leaves conflict markers in the file.
    r.dir.write("router.xml", std::string("<<<<<<< HEAD\n") + router_xml + "=======\n>>>>>>> theirs\n");

    r.restart_after_crash(r.tree_path);
    r.settle();
    CHECK(r.app->failed_path() == r.tree_path);
    REQUIRE(r.app->recovery_offer());
    CHECK(r.app->recovery_offer()->file == r.tree_path);
    CHECK(r.doc().path() != r.tree_path);
    r.click("recover:Recover");
    r.settle();
    REQUIRE(r.doc().path() == r.tree_path);
    CHECK(r.app->failed_path().empty());
    CHECK(r.position("fixed") == moved);
    CHECK(r.doc().dirty());
    r.ui.press(ui::letter('S'), true);
    r.settle();
    CHECK_FALSE(r.doc().dirty());
    const load_result saved = load_tree_file(r.tree_path);
    REQUIRE(saved.ok());
    CHECK(saved.loaded->find_layout("fixed")->x == moved.x);
    CHECK_FALSE(fs::exists(autosave));
}

TEST_CASE("editor files: a stop signal keeps unsaved edits in the autosave at once") {
    rig r;
    CHECK(r.app->keep_edits_for_stop().empty());  // nothing unsaved: nothing written
    CHECK_FALSE(fs::exists(autosave_path_for(r.tree_path)));
    nudge(r);
    const vec2 moved = r.position("fixed");
    // No waiting for the autosave interval: the process is about to end.
    const std::string said = r.app->keep_edits_for_stop();
    CHECK(said.find("kept in") != std::string::npos);
    REQUIRE(fs::exists(autosave_path_for(r.tree_path)));
    r.restart_after_crash(r.tree_path);
    r.settle();
    REQUIRE(r.app->recovery_offer());
    r.click("recover:Recover");
    r.settle();
    CHECK(r.position("fixed") == moved);
}

TEST_CASE("editor files: declining the recovery removes the autosave") {
    rig r;
    edit_and_autosave(r);
    r.restart_after_crash(r.tree_path);
    r.settle();
    r.click("recover:Discard");
    r.settle();
    CHECK_FALSE(r.app->recovery_offer());
    CHECK_FALSE(fs::exists(autosave_path_for(r.tree_path)));
    CHECK_FALSE(r.doc().dirty());
}

TEST_CASE("editor files: opened and saved files go to the recent list") {
    rig r;
    editor_options o;
    o.tree_path = r.tree_path;
    o.recent_store = r.dir.file("recent-files");
    editor_app app(o);
    app.start();
    REQUIRE_FALSE(app.recent().items().empty());
    CHECK(app.recent().items().front() == absolute_path(r.tree_path));
    recent_files again(o.recent_store);
    again.load();
    CHECK(again.items() == app.recent().items());
}

TEST_CASE("editor files: a file changed on disk is not overwritten by Save without asking") {
    // A git pull (or another editor) rewrites the file while it is open here with edits.
    rig r;
    nudge(r);
    {
        std::string text;
        std::ifstream in(r.tree_path);
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        const auto at = text.find("Power light");
        REQUIRE(at != std::string::npos);
        text.replace(at, 11, "Power LED");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a new modification time
        std::ofstream(r.tree_path + ".pull") << text;
        fs::rename(r.tree_path + ".pull", r.tree_path);
    }
    CHECK(r.doc().changed_on_disk());
    r.ui.press(ui::letter('S'), true);
    r.settle();
    CHECK(r.doc().dirty());  // nothing written
    CHECK(load_tree_file(r.tree_path).loaded->find("power")->title == "Power LED");
    REQUIRE(r.drawn("disk:Overwrite"));

    // Cancel keeps both; Reload takes theirs and drops the edits here.
    r.click("disk:Cancel");
    r.settle();
    CHECK_FALSE(r.drawn("disk:Overwrite"));
    r.ui.press(ui::letter('S'), true);
    r.settle();
    r.click("disk:Reload");
    r.settle();
    CHECK_FALSE(r.doc().dirty());
    CHECK(r.t().find("power")->title == "Power LED");
    CHECK_FALSE(r.doc().changed_on_disk());

    // After a reload, saving works as usual; Overwrite replaces a later outside change.
    nudge(r);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    { std::ofstream(r.tree_path, std::ios::app) << "\n"; }
    r.ui.press(ui::letter('S'), true);
    r.settle();
    r.click("disk:Overwrite");
    r.settle();
    CHECK_FALSE(r.doc().dirty());
    CHECK_FALSE(r.doc().changed_on_disk());
    CHECK(load_tree_file(r.tree_path).loaded->find_layout("fixed")->x == r.position("fixed").x);
}

TEST_CASE("editor files: Save As onto another existing file asks once before replacing it") {
    rig r;
    const std::string other = r.dir.write("other.xml", router_xml);
    const std::string before = [&] {
        std::ifstream in(other);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }();
    nudge(r);
    r.app->dialog().show(file_purpose::save_tree, r.dir.path.string(), "other.xml");
    r.settle();
    r.click("dialog:Save");
    r.settle();
    CHECK(r.app->dialog().visible());  // warned, not written
    CHECK(r.doc().path() == r.tree_path);
    {
        std::ifstream in(other);
        CHECK(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()) == before);
    }
    r.click("dialog:Save");  // the second Save on the same name replaces it
    r.settle();
    CHECK_FALSE(r.app->dialog().visible());
    CHECK(fs::equivalent(r.doc().path(), other));
    CHECK(load_tree_file(other).loaded->find_layout("fixed")->x == r.position("fixed").x);
}

TEST_CASE("editor files: an offer another editor answered first is neither recovered twice nor deleted") {
    rig r;
    const std::string autosave = edit_and_autosave(r);
    r.restart_after_crash(r.tree_path);
    r.settle();
    REQUIRE(r.app->recovery_offer());
    // Another editor on the same file was offered the same crash's edits and recovered them.
    auto other = document::open_recovered(r.tree_path, {}, autosave);
    REQUIRE(other.doc);
    r.click("recover:Discard");
    r.settle();
    CHECK(fs::exists(autosave));  // the other editor's, live

    r.restart_after_crash(r.tree_path);
    r.settle();
    CHECK_FALSE(r.app->recovery_offer());  // held: not a crash's any more
    other.doc.reset();                    // the other editor crashes in turn
    r.restart_after_crash(r.tree_path);
    r.settle();
    REQUIRE(r.app->recovery_offer());
    auto third = document::open_recovered(r.tree_path, {}, autosave);  // and someone recovers it first
    r.click("recover:Recover");
    r.settle();
    CHECK_FALSE(r.doc().dirty());  // still the file: the edits are in the other window
    CHECK(r.app->status().find("Another editor") != std::string::npos);
}

TEST_CASE("editor files: closing while the recovery is offered keeps the autosave") {
    rig r;
    const std::string autosave = edit_and_autosave(r);
    r.restart_after_crash(r.tree_path);  // after a crash
    r.settle();
    REQUIRE(r.app->recovery_offer());
    CHECK(r.app->request_close());  // the window closed before the author answered
    CHECK(fs::exists(autosave));
}

TEST_CASE("editor files: an untitled tree's autosave is offered back at the next start") {
    rig r("");  // no file: an untitled tree
    REQUIRE(r.doc().untitled());
    REQUIRE_FALSE(r.app->recovery_offer());
    const std::string autosave = edit_and_autosave(r);
    const vec2 moved = r.position(r.t().nodes.back().id);

    r.restart_after_crash("");  // after a crash
    r.settle();
    REQUIRE(r.app->recovery_offer());
    r.click("recover:Recover");
    r.settle();
    CHECK(r.doc().untitled());
    CHECK(r.doc().dirty());
    CHECK(r.position(r.t().nodes.back().id) == moved);
    CHECK_FALSE(r.app->recovery_offer());  // recovered: not offered again
    CHECK(fs::exists(autosave));           // the only copy on disk until saved
}

TEST_CASE("editor files: the first save of a file that opened with errors or comments says what it drops") {
    rig r(lossy_xml, "lossy.xml");
    const auto on_disk = [&] {
        std::ifstream in(r.tree_path);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    };
    const std::string original = on_disk();
    REQUIRE(r.app->lossy_save_warning().find("error") != std::string::npos);
    CHECK(r.app->lossy_save_warning().find("1 XML comment") != std::string::npos);
    nudge(r, "b");
    r.ui.press(ui::letter('S'), true);
    r.settle();
    REQUIRE(r.drawn("lossy:Anyway"));
    CHECK(on_disk() == original);  // nothing written while asking
    r.click("lossy:Cancel");
    r.settle();
    CHECK(on_disk() == original);
    CHECK(r.doc().dirty());

    r.ui.press(ui::letter('S'), true);
    r.settle();
    r.click("lossy:Anyway");
    r.settle();
    CHECK_FALSE(r.doc().dirty());
    CHECK(on_disk() != original);
    CHECK(on_disk().find("Maybe") == std::string::npos);  // what the author agreed to drop
    // Asked once per opened file: the next save just saves.
    nudge(r, "b");
    r.ui.press(ui::letter('S'), true);
    r.settle();
    CHECK_FALSE(r.drawn("lossy:Anyway"));
    CHECK_FALSE(r.doc().dirty());
}

TEST_CASE("editor files: Save As onto the open file itself goes through Save's checks") {
    rig r;
    nudge(r);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    { std::ofstream(r.tree_path, std::ios::app) << "\n"; }  // a change on disk
    r.app->dialog().show(file_purpose::save_tree, r.dir.path.string(), fs::path(r.tree_path).filename().string());
    r.settle();
    r.click("dialog:Save");
    r.settle();
    CHECK(r.drawn("disk:Overwrite"));  // asked, not silently overwritten
    CHECK(r.doc().dirty());
    r.click("disk:Cancel");
}

TEST_CASE("editor files: Reload of a file removed on disk keeps the edits and their autosave") {
    rig r;
    const std::string autosave = edit_and_autosave(r);
    fs::remove(r.tree_path);
    r.ui.press(ui::letter('S'), true);
    r.settle();
    r.click("disk:Reload");
    r.settle();
    CHECK(r.doc().dirty());
    CHECK(fs::exists(autosave));
    CHECK_FALSE(r.drawn("disk:Overwrite"));
}

TEST_CASE("editor files: closing, answering Save, then Save anyway on a lossy file still closes") {
    rig r(R"(<tree format="1" id="lossy" start="a"><!-- note --><end id="a" outcome="resolved"/></tree>)", "lossy.xml");
    nudge(r, "a");
    CHECK_FALSE(r.app->request_close());
    r.settle();
    r.click("prompt:Save");
    r.settle();
    REQUIRE(r.drawn("lossy:Anyway"));
    CHECK_FALSE(r.drawn("prompt:Save"));  // one prompt at a time
    CHECK_FALSE(r.app->quit_requested());
    r.click("lossy:Anyway");
    r.settle();
    CHECK(r.app->quit_requested());
    CHECK_FALSE(r.doc().dirty());
}

TEST_CASE("editor files: an untitled autosave is offered when a file given at start cannot be opened") {
    rig r("");
    edit_and_autosave(r);
    r.restart_after_crash(r.dir.file("typo.xml"));  // a crash, then a start with a wrong path
    r.settle();
    CHECK(r.app->recovery_offer());
}

TEST_CASE("editor files: Reload onto a file that no longer opens does not offer this editor's own autosave") {
    rig r;
    const std::string autosave = edit_and_autosave(r);
    r.dir.write("router.xml", std::string("<<<<<<< HEAD\n") + router_xml + "=======\n>>>>>>> theirs\n");
    r.ui.press(ui::letter('S'), true);
    r.settle();
    r.click("disk:Reload");
    r.settle();
    CHECK_FALSE(r.app->recovery_offer());  // the editor is still running: no crash to recover
    CHECK(r.doc().dirty());
    CHECK(fs::exists(autosave));
}

TEST_CASE("editor files: a crash autosave waiting for an answer is never written over") {
    rig r;
    const std::string autosave = edit_and_autosave(r);
    const std::string crashed = read_file(autosave);
    REQUIRE_FALSE(crashed.empty());

    r.restart_after_crash(r.tree_path);  // after the crash
    r.settle();
    REQUIRE(r.app->recovery_offer());
    // A start-up edit (--auto-layout) and the autosave interval, or a stop signal, before
    // the author answers: the crash's autosave stays as it was, the new edits are kept in
    // an autosave of their own.
    REQUIRE_FALSE(r.doc().execute(apply_auto_layout()));
    r.now += std::chrono::seconds(30);
    r.settle();
    CHECK(read_file(autosave) == crashed);
    const std::string said = r.app->keep_edits_for_stop();
    CHECK(said.find("kept in " + autosave_path_for(r.tree_path, 1)) != std::string::npos);
    CHECK(read_file(autosave) == crashed);
    CHECK(fs::exists(autosave_path_for(r.tree_path, 1)));
    // Recovering the crash's edits replaces the start-up ones, and their autosave goes.
    r.click("recover:Recover");
    r.settle();
    CHECK(r.doc().autosave_path() == autosave);
    CHECK_FALSE(fs::exists(autosave_path_for(r.tree_path, 1)));
}

TEST_CASE("editor files: edits undone back to the file leave no autosave to offer") {
    rig r;
    const std::string autosave = edit_and_autosave(r);
    r.ui.press(ui::letter('Z'), true);
    REQUIRE_FALSE(r.doc().dirty());
    r.now += std::chrono::seconds(6);
    r.settle();
    CHECK_FALSE(fs::exists(autosave));
    r.restart_after_crash(r.tree_path);
    r.settle();
    CHECK_FALSE(r.app->recovery_offer());
}

TEST_CASE("editor files: after a file's offer is answered, an untitled crash autosave is offered next") {
    rig r("");
    edit_and_autosave(r);  // an untitled tree's crash autosave
    const std::string untitled = autosave_path_for("");
    // A file whose autosave is left too, and which no longer opens.
    const std::string broken = r.dir.write("b.xml", "<<<<<<< HEAD\n");
    r.dir.write(".b.xml.autosave", router_xml);
    r.restart_after_crash(broken);
    r.settle();
    REQUIRE(r.app->recovery_offer());
    CHECK(r.app->recovery_offer()->file == broken);
    r.click("recover:Discard");
    r.settle();
    REQUIRE(r.app->recovery_offer());
    CHECK(r.app->recovery_offer()->file.empty());
    CHECK(fs::exists(untitled));
}

TEST_CASE("editor files: a file named at start that is not there yet is a new tree Ctrl+S writes to it") {
    rig r("");
    const std::string path = r.dir.file("printer-jam.xml");
    r.app = r.make_app(path);
    r.settle();
    CHECK(r.app->status().find("New file " + path) != std::string::npos);
    CHECK(r.doc().untitled());
    CHECK(r.t().id == "printer-jam");  // the id is the file's name, as the format wants
    // Named after the file it will be written to, not "untitled".
    CHECK(r.doc().display_name() == "printer-jam.xml");
    CHECK(r.app->window_title().find("printer-jam.xml") != std::string::npos);
    CHECK(r.app->window_title().find("untitled") == std::string::npos);
    CHECK(r.app->file_label() == path + " (not written yet)");
    r.ui.press(ui::letter('S'), true);
    CHECK_FALSE(r.doc().untitled());
    CHECK(r.doc().path() == path);
    CHECK(std::filesystem::exists(path));
    const load_result back = load_tree_file(path);
    CHECK(back.ok());
    CHECK(back.loaded->id == "printer-jam");
    CHECK(r.app->file_label() == path);
    CHECK(r.app->window_title().find("printer-jam.xml") != std::string::npos);
}

TEST_CASE("editor files: a file named at start whose name is no tree id is written under one") {
    rig r("");
    r.app = r.make_app(r.dir.file("My Printer Jam.xml"));
    r.settle();
    const std::string written = r.dir.file("my-printer-jam.xml");
    CHECK(r.doc().new_file() == written);
    CHECK(r.t().id == "my-printer-jam");
    CHECK(r.app->status().find("'My Printer Jam' is no tree id") != std::string::npos);
    CHECK(r.app->status().find("my-printer-jam.xml") != std::string::npos);
    r.ui.press(ui::letter('S'), true);
    CHECK(r.doc().path() == written);
    const load_result back = load_tree_file(written);
    REQUIRE(back.ok());
    CHECK(back.loaded->id == "my-printer-jam");
    CHECK_FALSE(fs::exists(r.dir.file("My Printer Jam.xml")));
}

TEST_CASE("editor files: when the id-like name is taken too, nothing is picked for the author") {
    rig r("");
    r.dir.write("my-printer-jam.xml", router_xml);
    r.app = r.make_app(r.dir.file("My Printer Jam.xml"));
    r.settle();
    CHECK(r.doc().untitled());
    CHECK(r.doc().new_file().empty());  // Ctrl+S asks where
    CHECK(r.app->status().find("is no tree id") != std::string::npos);
}

TEST_CASE("editor files: a file named at start in a folder that does not exist says so") {
    rig r("");
    const std::string path = r.dir.file("no-such-folder/printer-jam.xml");
    r.app = r.make_app(path);
    r.settle();
    CHECK(r.doc().untitled());
    CHECK(r.doc().new_file().empty());
    CHECK(r.app->status_is_error());
    CHECK(r.app->status().find("the folder " + r.dir.file("no-such-folder") + " does not exist") != std::string::npos);
    CHECK(r.app->status().find("cannot read") == std::string::npos);
    CHECK_FALSE(fs::exists(r.dir.file("no-such-folder")));
}

TEST_CASE("editor files: File > New forgets the file named at start") {
    rig r("");
    const std::string path = r.dir.file("printer-jam.xml");
    r.app = r.make_app(path);
    r.settle();
    r.app->new_document(0);
    r.settle();
    CHECK(r.doc().new_file().empty());
    CHECK(r.app->file_label() == "untitled (not saved yet)");
    CHECK(r.app->window_title().find("untitled") != std::string::npos);
}

TEST_CASE("editor files: recovering edits of a file that opened with errors says the errors were the file's") {
    rig r(lossy_xml, "lossy.xml");
    REQUIRE(r.app->lossy_save_warning().find("see Problems") != std::string::npos);
    nudge(r, "b");
    r.now += std::chrono::seconds(6);
    r.settle();
    r.restart_after_crash(r.tree_path);
    r.settle();
    REQUIRE(r.app->recovery_offer());
    r.click("recover:Recover");
    r.settle();
    // Problems shows the recovered tree now: the warning no longer points there.
    CHECK(r.app->lossy_save_warning().find("see Problems") == std::string::npos);
    CHECK(r.app->lossy_save_warning().find("the file on disk opened with errors") != std::string::npos);
}

TEST_CASE("editor files: no two boxes of a sample tree overlap, sized with the window's font") {
    // Box heights follow the text as the font wraps it: a sample laid out for other
    // heights would open with one box over another.
    for (const auto& entry : fs::directory_iterator(fs::path(SIGNPOST_SOURCE_DIR) / "trees")) {
        if (entry.path().extension() != ".xml") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        rig r(xml, entry.path().filename().string());
        const tree& t = r.t();
        std::vector<std::pair<std::string, rect>> boxes;
        for (const node& n : t.nodes)
            if (const layout_entry* at = t.find_layout(n.id)) boxes.emplace_back(n.id, rect_at({at->x, at->y}, node_size(n)));
        for (std::size_t i = 0; i < boxes.size(); ++i)
            for (std::size_t j = i + 1; j < boxes.size(); ++j)
                CHECK_MESSAGE(!overlaps(boxes[i].second, boxes[j].second),
                              entry.path().filename().string() << ": '" << boxes[i].first << "' and '" << boxes[j].first
                                                               << "' overlap");
    }
}
