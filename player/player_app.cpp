#include "player_app.hpp"

#include <algorithm>
#include <filesystem>

#include "signpost/calendar_date.hpp"
#include "signpost/load.hpp"
#include "signpost/text.hpp"
#include "signpost/validate.hpp"

namespace signpost::player {

namespace fs = std::filesystem;

player_app::player_app(player_options options, clock& clk) : m_options(std::move(options)), m_clock(clk) {}

player_app::~player_app() {
    // A call still open when the player closes is recorded as abandoned, not left dangling.
    note_unsent_form();
    // A note still being typed is kept: before the end when the call is still open (it was
    // typed during the call), after it when it is the wrap-up on the end screen.
    if (m_session && !m_session->finished()) {
        keep_note_draft();
        m_session->abandon("player closed");
    }
    keep_note_draft();
}

std::int64_t player_app::file_stamp() const {
    // The script and every sub-script its jumps run: a republished sub-script is a
    // republished script too (the next call must not keep running the old one).
    std::uint64_t stamp = 0;
    for (const std::string& file : m_watched) {
        std::error_code ec;
        const auto t = fs::last_write_time(file, ec);
        const auto size = ec ? 0 : fs::file_size(file, ec);
        const auto one = ec ? std::uint64_t{0}
                            : static_cast<std::uint64_t>(t.time_since_epoch().count()) ^ static_cast<std::uint64_t>(size);
        stamp = stamp * 1'000'003u + one;  // order-sensitive, so two changes do not cancel out
    }
    return static_cast<std::int64_t>(stamp);
}

std::optional<std::string> player_app::load_script(std::shared_ptr<const tree>& out, std::string& hash) {
    // One read serves both the load and the hash, so the log names exactly what ran.
    std::string bytes;
    load_result loaded = load_tree_file(m_options.tree_path, &bytes);
    std::vector<std::string> folders{fs::path(m_options.tree_path).parent_path().string()};
    if (folders[0].empty()) folders[0] = ".";
    for (const std::string& dir : m_options.library_dirs) folders.push_back(dir);
    auto library = std::make_unique<tree_library>(folders);
    diagnostics problems = loaded.problems;
    if (loaded.loaded) {
        library->add(loaded.loaded);
        for (diagnostic& d : validate_tree(*loaded.loaded, library.get())) problems.push_back(std::move(d));
    }
    if (!loaded.loaded || has_errors(problems)) {
        std::string report;
        for (const diagnostic& d : problems)
            if (d.level == severity::error) report += format(d) + "\n";
        if (report.empty()) report = m_options.tree_path + ": cannot be loaded\n";
        return report;
    }
    out = loaded.loaded;
    hash = content_hash(bytes);
    // The files as checked now (the validator followed the jumps): the ones watched for a
    // republish. Trees looked up later are not, or their first read would look like one.
    m_watched = {m_options.tree_path};
    for (std::string& f : library->files()) m_watched.push_back(std::move(f));
    m_library = std::move(library);
    return std::nullopt;
}

std::optional<std::string> player_app::start() {
    m_watched = {m_options.tree_path};
    if (auto error = load_script(m_tree, m_tree_hash)) return error;
    m_stamp = file_stamp();
    if (m_options.log_path != "-") {
        const std::string path = m_options.log_path.empty() ? default_log_path() : m_options.log_path;
        m_log = std::make_unique<log_writer>();
        // A failure is a warning the agent sees (log_warning); the call goes on and the
        // events wait in the spill file.
        (void)m_log->open(path);
    }
    begin_session();
    return std::nullopt;
}

void player_app::begin_session() {
    if (m_log) {
        session_info info;
        info.tree_id = m_tree->id;
        info.tree_version = m_tree->version;
        info.tree_hash = m_tree_hash;
        info.agent = neutralise_controls(m_options.agent);  // as the session records it
        m_log->begin_session(info);
    }
    m_session = std::make_unique<session>(m_tree, m_library.get(), m_clock, m_log.get(), m_options.agent);
    ++m_calls;
    m_drafts_for = nullptr;
    sync_drafts();
}

std::string player_app::log_warning() const { return m_log ? m_log->warning() : std::string{}; }
std::size_t player_app::unsaved_log_records() const { return m_log ? m_log->unsaved_rows() : 0; }

std::string player_app::field_error_for(const std::string& variable) const {
    for (const field_error& e : field_errors)
        if (e.variable == variable) return e.message;
    return {};
}

void player_app::sync_drafts() {
    const view& v = m_session->current();
    if (v.node_ptr == m_drafts_for && m_session->breadcrumb().size() == m_drafts_depth) return;
    m_drafts_for = v.node_ptr;
    m_drafts_depth = m_session->breadcrumb().size();
    ++m_drafts_generation;
    form_inputs.clear();
    // A form gone back to shows what was typed in it before (Back undid the values, not the
    // typing: the agent corrects one field instead of asking the caller for all again). Not
    // when the script comes to it again: then it shows the values as the script has them.
    const auto typed = v.node_ptr && m_went_back ? m_typed.find(v.node_ptr) : m_typed.end();
    m_went_back = false;
    m_shows_typing = typed != m_typed.end();
    for (const view_field& f : v.fields) {
        std::string shown = f.value;
        if (typed != m_typed.end())
            if (const auto it = typed->second.find(f.variable); it != typed->second.end()) shown = it->second;
        form_inputs[f.variable] = shown_as_asked(f.type, shown);
    }
    m_form_start = form_inputs;
    // Typing the agent left here by going back is newer than anything above: the caller said it.
    if (const auto unsent = v.node_ptr ? m_unsent.find(v.node_ptr) : m_unsent.end(); unsent != m_unsent.end())
        for (const auto& [name, typed_value] : unsent->second)
            if (form_inputs.count(name)) {
                form_inputs[name] = typed_value;
                m_shows_typing = true;
            }
    field_errors.clear();
}

std::map<std::string, std::string> player_app::unsent_typing() const {
    std::map<std::string, std::string> typed;
    for (const auto& [name, now] : form_inputs) {
        const auto start = m_form_start.find(name);
        if (start == m_form_start.end() || start->second != now) typed[name] = now;
    }
    return typed;
}

void player_app::keep_unsent_form() {
    const node* form = m_session->current().node_ptr;
    if (!form || form->kind != node_kind::form) return;
    // form_inputs began from earlier unsent typing, so this is all of it; a field put back
    // as it was is no longer kept.
    std::map<std::string, std::string> typed = unsent_typing();
    if (typed.empty()) m_unsent.erase(form);
    else m_unsent[form] = std::move(typed);
}

namespace {
// Records the outcome of an action in the drafts the UI shows.
void take(player_app& app, const action_result& r) {
    app.action_error = r.ok ? std::string{} : r.error;
    app.field_errors = r.field_errors;
}


// What a field of this type may be typed as, completed from its start; empty for free text.
std::vector<std::string> completions(const view_field& f) {
    if (f.type == var_type::choice) return f.options;
    if (f.type == var_type::flag) return {"yes", "no", "true", "false"};
    return {};
}

// Completes every choice and flag field of the form (see complete_input).
void complete_typed(const view& v, std::map<std::string, std::string>& inputs) {
    for (const view_field& f : v.fields)
        if (const auto it = inputs.find(f.variable); it != inputs.end()) it->second = complete_input(f, it->second);
}
}  // namespace

std::string shown_as_asked(var_type type, const std::string& value) {
    if (type == var_type::flag && value == "true") return "yes";
    if (type == var_type::flag && value == "false") return "no";
    return value;
}

std::string complete_input(const view_field& f, const std::string& typed) {
    const std::vector<std::string> options = completions(f);
    if (options.empty() || std::find(options.begin(), options.end(), typed) != options.end()) return typed;
    const std::size_t first = typed.find_first_not_of(' ');
    if (first == std::string::npos) return typed;
    const std::string want = lower_ascii(std::string_view(typed).substr(first, typed.find_last_not_of(' ') + 1 - first));
    const std::string* match = nullptr;
    int starts = 0;
    for (const std::string& option : options) {
        const std::string o = lower_ascii(option);
        if (o == want) return option;
        if (o.starts_with(want)) {
            match = &option;
            ++starts;
        }
    }
    return starts == 1 ? *match : typed;
}

void player_app::choose(int visible) {
    take(*this, m_session->choose(visible));
    sync_drafts();
}

void player_app::next() {
    take(*this, m_session->next());
    sync_drafts();
}

void player_app::submit() {
    complete_typed(m_session->current(), form_inputs);
    const node* form = m_session->current().node_ptr;
    if (form) m_typed[form] = form_inputs;
    const action_result r = m_session->submit(form_inputs);
    take(*this, r);
    if (r.ok) {
        if (form) m_unsent.erase(form);
        sync_drafts();
    }
}

void player_app::back() {
    keep_unsent_form();
    const action_result r = m_session->back();
    take(*this, r);
    // Only a move back shows a form as typed: a refused Back must not leave the flag for
    // whatever the next move is.
    m_went_back = r.ok;
    sync_drafts();
}

void player_app::back_to(std::size_t crumb) {
    keep_unsent_form();
    const action_result r = m_session->back_to(crumb);
    take(*this, r);
    m_went_back = r.ok;
    sync_drafts();
}

void player_app::restart() {
    note_unsent_form();  // as End call does: what the caller said is not lost without a trace
    m_session->restart();
    // The answers so far are cleared, and so is what was typed for them.
    m_unsent.clear();
    m_typed.clear();
    action_error.clear();  // a note being typed stays: it is about the same caller
    m_drafts_for = nullptr;
    sync_drafts();
}

const tree* player_app::tree_by_id(const std::string& id) const {
    if (id == m_session->root_tree().id) return &m_session->root_tree();
    // The library keeps what it loaded, so the pointer outlives this call.
    return m_library ? m_library->get(id).found.get() : nullptr;
}

std::vector<call_data_row> player_app::call_data() const {
    const view& v = m_session->current();
    std::vector<const tree*> trees{v.tree_ptr, &m_session->root_tree()};
    for (const crumb& c : m_session->breadcrumb())
        if (std::none_of(trees.begin(), trees.end(), [&](const tree* t) { return t && t->id == c.tree_id; }))
            trees.push_back(tree_by_id(c.tree_id));
    struct row {
        std::size_t tree = 0;       // where declared first
        std::ptrdiff_t place = 0;   // its place among that tree's variables
        call_data_row shown;
    };
    std::vector<row> rows;
    for (const auto& [name, val] : m_session->variables()) {
        row r{trees.size(), 0, {name, to_answer(val)}};
        // An empty text (a script's running log not yet written to) tells the agent
        // nothing, and a label with no value beside it reads as a field to fill in.
        if (r.shown.value.empty()) continue;
        bool labelled = false;
        for (std::size_t i = 0; i < trees.size(); ++i) {
            const variable* d = trees[i] ? trees[i]->find_variable(name) : nullptr;
            if (!d) continue;
            if (r.tree == trees.size()) {
                r.tree = i;
                r.place = d - trees[i]->variables.data();
            }
            if (!labelled && !d->label.empty()) {
                r.shown.label = d->label;
                labelled = true;
            }
        }
        rows.push_back(std::move(r));
    }
    // Not by name: "Field 2" after "Field 19" reads badly.
    std::stable_sort(rows.begin(), rows.end(),
                     [](const row& a, const row& b) { return std::pair(a.tree, a.place) < std::pair(b.tree, b.place); });
    std::vector<call_data_row> out;
    out.reserve(rows.size());
    for (row& r : rows) out.push_back(std::move(r.shown));
    return out;
}

std::string player_app::date_reading(const std::string& typed) const {
    if (typed.find_first_not_of(' ') == std::string::npos) return {};
    const typed_date d = read_typed_date(typed, local_day(m_clock.now_ms()));
    return d.days ? "taken as " + format_long_day(*d.days) : d.error;
}

bool player_app::add_note() {
    note_error.clear();
    if (note_draft.empty()) return true;
    if (const action_result r = m_session->note(note_draft); !r) {
        note_error = r.error;
        return false;
    }
    note_draft.clear();
    return true;
}

void player_app::keep_note_draft() {
    if (!m_session || add_note()) return;
    add_note_in_parts(note_draft);
    note_draft.clear();
    note_error.clear();
}

void player_app::add_note_in_parts(const std::string& note) {
    if (m_session->note(note)) return;
    // Split as the session will store it (cleaning can lengthen it), never inside a character.
    const std::string text = neutralise_controls(note);
    const std::size_t most = session::max_note_bytes - 64;  // room for the part's mark
    std::vector<std::string> parts;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t end = std::min(at + most, text.size());
        while (end < text.size() && end > at && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
        parts.push_back(text.substr(at, end - at));
        at = end;
    }
    for (std::size_t i = 0; i < parts.size(); ++i)
        m_session->note("(part " + std::to_string(i + 1) + " of " + std::to_string(parts.size()) + ") " + parts[i]);
}

std::vector<const node*> player_app::find_steps(const std::string& query) const {
    std::vector<const node*> out;
    const tree* t = m_session->current().tree_ptr;
    if (t == nullptr) return out;
    const std::string q = lower_ascii(query);
    const auto holds = [&](const std::string& s) { return lower_ascii(s).find(q) != std::string::npos; };
    for (const node& n : t->nodes) {
        if (n.kind == node_kind::logic || n.kind == node_kind::jump) continue;
        if (!q.empty() && !holds(n.id) && !holds(n.title) && !holds(n.text)) continue;
        out.push_back(&n);
    }
    return out;
}

void player_app::note_unsent_form() {
    if (!m_session || m_session->finished()) return;
    const view& v = m_session->current();
    if (!v.node_ptr || v.node_ptr->kind != node_kind::form) return;
    const std::map<std::string, std::string> unsent = unsent_typing();
    std::string typed;
    for (const view_field& f : v.fields) {
        const auto now = unsent.find(f.variable);
        if (now == unsent.end() || now->second.find_first_not_of(" \t") == std::string::npos) continue;
        // A note goes to the log, which a private value never does: the agent learns it was not kept.
        typed += (typed.empty() ? "" : "; ") + f.label + ": " +
                 (m_session->is_private(f.variable) ? std::string("(private, not kept)") : now->second);
    }
    if (!typed.empty()) add_note_in_parts("Typed in the form, not submitted: " + typed);
}

void player_app::end_call() {
    note_unsent_form();
    m_session->abandon(end_reason);
    end_reason.clear();
}

bool player_app::go_to(const std::string& node_id) {
    keep_unsent_form();
    const action_result r = m_session->go_to(node_id);
    take(*this, r);
    sync_drafts();
    return r.ok;
}

void player_app::poll_file_change() {
    const std::int64_t now = m_clock.now_ms();
    if (now - m_last_poll_ms < 1000 && m_last_poll_ms != 0) return;
    m_last_poll_ms = now;
    const std::int64_t stamp = file_stamp();
    if (stamp == m_stamp || m_pending_reload) return;
    m_pending_reload = true;
    m_notice = "The script was republished. This call stays on version " + std::to_string(m_tree->version) +
               "; the next call uses the new version.";
}

void player_app::next_call() {
    note_unsent_form();
    // A note typed and not added belongs to the call it was typed in: during the call when
    // it is still open, else as an after-call note.
    if (m_session && !m_session->finished()) {
        keep_note_draft();
        m_session->abandon("next call started");
    }
    keep_note_draft();
    const std::int64_t stamp = file_stamp();
    if (stamp != m_stamp) {
        std::shared_ptr<const tree> fresh;
        std::string hash;
        if (auto error = load_script(fresh, hash)) {
            // Keep the old version running: a broken republish must not stop the shift.
            m_notice = "The republished script does not load, so version " + std::to_string(m_tree->version) +
                       " is still in use: " + error->substr(0, error->find('\n'));
        } else {
            const int old_version = m_tree->version;
            m_tree = fresh;
            m_tree_hash = hash;
            m_notice = "Now using the republished script (version " + std::to_string(m_tree->version) +
                       (old_version == m_tree->version ? ", same version number" : "") + ").";
        }
        m_stamp = file_stamp();  // over the files the script now jumps into
    } else {
        m_notice.clear();
    }
    m_pending_reload = false;
    m_typed.clear();
    m_unsent.clear();
    note_draft.clear();
    end_reason.clear();
    action_error.clear();
    begin_session();
}

}  // namespace signpost::player
