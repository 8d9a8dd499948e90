// signpost-bench: load, validate, save, random walks and memory on generated trees of
// 1k, 10k and 100k nodes, printed as one table with ratios to pugixml's bare DOM parse.
//
// Index
// [SECTION] Fixtures
// [SECTION] Self-check (a benchmark of a broken tree measures nothing)
// [SECTION] Memory per node (measured in a child process, on a fresh heap)
// [SECTION] Heap traffic of one load (recorded, then replayed, in a child process)
// [SECTION] Benchmarks
// [SECTION] Collecting results
// [SECTION] The table
// [SECTION] main

#include <benchmark/benchmark.h>
#include <pugixml.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <unordered_map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/save.hpp"
#include "signpost/session.hpp"
#include "signpost/validate.hpp"
#include "tree_generator.hpp"

// [SECTION] Heap traffic

// While recording, every operator new/delete of this thread is logged as one step of a
// replay: the model's strings, vectors and expression nodes, and the loader's scratch.
// pugixml allocates through malloc directly, so its pages are not in the log. The
// replacement adds a thread-local test to every allocation of every benchmark here (the
// same in every run since it came in); it ignores std::get_new_handler(). Sanitizers
// replace operator new themselves (and check that what it gave is not passed to free), so
// under them there are no hooks and no heap floor.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SIGNPOST_BENCH_HEAP_HOOKS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define SIGNPOST_BENCH_HEAP_HOOKS 0
#endif
#endif
#ifndef SIGNPOST_BENCH_HEAP_HOOKS
#define SIGNPOST_BENCH_HEAP_HOOKS 1
#endif

namespace heap_log {
struct step {
    std::size_t size = 0;   // allocate `size` bytes into slot `slot`
    std::size_t slot = 0;
    bool release = false;   // or free slot `slot`
};
thread_local bool recording = false;
thread_local std::vector<step>* steps = nullptr;
thread_local std::unordered_map<void*, std::size_t>* slots = nullptr;  // live block -> slot
thread_local std::size_t next_slot = 0;  // slots are never reused, so a replay cannot mix blocks up

void note_new(void* p, std::size_t size) {
    if (!recording || !p) return;
    recording = false;  // the log's own allocations are not part of it
    const std::size_t slot = next_slot++;
    (*slots)[p] = slot;
    steps->push_back({size, slot, false});
    recording = true;
}
void note_delete(void* p) {
    if (!recording || !p) return;
    recording = false;
    if (const auto it = slots->find(p); it != slots->end()) {
        steps->push_back({0, it->second, true});
        slots->erase(it);
    }
    recording = true;
}

// Records this thread's allocations into `into` while it lives, even if the code recorded
// throws.
class recorder {
public:
    explicit recorder(std::vector<step>& into) {
        steps = &into;
        slots = &m_slots;
        next_slot = 0;
        recording = true;
    }
    ~recorder() {
        recording = false;
        steps = nullptr;
        slots = nullptr;
    }
    recorder(const recorder&) = delete;
    recorder& operator=(const recorder&) = delete;

private:
    std::unordered_map<void*, std::size_t> m_slots;
};
}  // namespace heap_log

#if SIGNPOST_BENCH_HEAP_HOOKS
// Every form that gets its memory from malloc is replaced (the nothrow ones are what
// std::stable_sort's buffer uses), so all of them agree on malloc/free. Out of line:
// inlined into a delete-expression, GCC 12 takes the free() for a mismatch.
namespace heap_log {
void* allocate(std::size_t size) noexcept {
    void* p = std::malloc(size ? size : 1);
    note_new(p, size);
    return p;
}
void release(void* p) noexcept {
    note_delete(p);
    std::free(p);
}
}  // namespace heap_log
[[gnu::noinline]] void* operator new(std::size_t size) {
    if (void* p = heap_log::allocate(size)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new[](std::size_t size) {
    if (void* p = heap_log::allocate(size)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return heap_log::allocate(size);
}
[[gnu::noinline]] void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return heap_log::allocate(size);
}
[[gnu::noinline]] void operator delete(void* p) noexcept { heap_log::release(p); }
[[gnu::noinline]] void operator delete[](void* p) noexcept { heap_log::release(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { heap_log::release(p); }
[[gnu::noinline]] void operator delete[](void* p, std::size_t) noexcept { heap_log::release(p); }
[[gnu::noinline]] void operator delete(void* p, const std::nothrow_t&) noexcept { heap_log::release(p); }
[[gnu::noinline]] void operator delete[](void* p, const std::nothrow_t&) noexcept { heap_log::release(p); }
#endif

namespace {

using namespace signpost;

// [SECTION] Fixtures

struct fixture {
    std::size_t nodes = 0;
    bench::generated_trees files;
    std::shared_ptr<const tree> loaded;
    std::unique_ptr<tree_library> library;  // the sub-trees, for jumps and cross-tree checks
};

std::string size_name(std::size_t n) {
    if (n % 1000 == 0) return std::to_string(n / 1000) + "k";
    return std::to_string(n);
}

std::unique_ptr<fixture> make_fixture(std::size_t nodes) {
    auto f = std::make_unique<fixture>();
    f->nodes = nodes;
    f->files = bench::generate_trees({nodes, 1, true, true});
    f->library = std::make_unique<tree_library>();
    for (const auto& sub : f->files.subtrees) {
        auto r = load_tree_string(sub.xml, sub.id + ".xml");
        if (r.loaded) f->library->add(r.loaded);
    }
    auto r = load_tree_string(f->files.root.xml, f->files.root.id + ".xml");
    f->loaded = r.loaded;
    if (f->loaded) f->library->add(f->loaded);
    return f;
}

// [SECTION] Self-check

// The generated tree must load clean, validate without errors or warnings, and save back
// byte for byte; otherwise the figures would describe a different workload.
bool self_check(const fixture& f) {
    bool ok = true;
    auto report = [&](const std::string& what, const diagnostics& list) {
        std::fprintf(stderr, "signpost-bench: generated %s tree: %s\n", size_name(f.nodes).c_str(), what.c_str());
        std::size_t shown = 0;
        for (const auto& d : list) {
            if (d.level == severity::info) continue;
            if (++shown > 10) break;
            std::fprintf(stderr, "  %s\n", format(d).c_str());
        }
        ok = false;
    };
    for (const auto& sub : f.files.subtrees) {
        const auto r = load_tree_string(sub.xml, sub.id + ".xml");
        if (!r.ok() || !r.problems.empty()) report("sub-tree " + sub.id + " does not load clean", r.problems);
    }
    const auto r = load_tree_string(f.files.root.xml, f.files.root.id + ".xml");
    if (!r.ok() || !r.problems.empty()) {
        report("does not load clean", r.problems);
        return false;
    }
    const auto found = validate_tree(*r.loaded, f.library.get());
    const bool findings = std::any_of(found.begin(), found.end(), [](const diagnostic& d) {
        return d.level != severity::info;
    });
    if (findings) report("validation finds problems", found);
    const std::string saved = save_tree_string(*r.loaded);
    if (saved != f.files.root.xml) {
        std::size_t at = 0;
        while (at < saved.size() && at < f.files.root.xml.size() && saved[at] == f.files.root.xml[at]) ++at;
        const std::size_t from = at > 60 ? at - 60 : 0;
        std::fprintf(stderr,
                     "signpost-bench: generated %s tree is not canonical: save differs at byte %zu\n"
                     "  generated: ...%s\n  saved:     ...%s\n",
                     size_name(f.nodes).c_str(), at, f.files.root.xml.substr(from, 120).c_str(),
                     saved.substr(from, 120).c_str());
        ok = false;
    }
    return ok;
}

// [SECTION] Memory per node

struct memory_figures {
    bool ok = false;
    double rss_bytes = 0;   // resident set growth while the loaded tree is held
    double heap_bytes = 0;  // bytes malloc hands out for it (no page rounding)
    double xml_bytes = 0;
    std::size_t nodes = 0;
};

double rss_now() {
    std::ifstream statm("/proc/self/statm");
    long pages_total = 0, pages_resident = 0;
    statm >> pages_total >> pages_resident;
    return static_cast<double>(pages_resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

// Runs `work` in a forked child and returns what it returned (a plain struct with an `ok`
// flag), or a default one when the child could not run or report: so a measurement neither
// starts from nor leaves behind this process's heap.
template <typename Figures, typename Work>
Figures in_child(Work&& work) {
    static_assert(std::is_trivially_copyable_v<Figures>);
    int fds[2];
    Figures out{};
    if (::pipe(fds) != 0) return out;
    const pid_t pid = ::fork();
    if (pid < 0) return out;
    if (pid == 0) {
        ::close(fds[0]);
        const Figures m = work();
        const auto written = ::write(fds[1], &m, sizeof m);
        ::_exit(written == static_cast<ssize_t>(sizeof m) ? 0 : 1);
    }
    ::close(fds[1]);
    Figures m{};
    if (::read(fds[0], &m, sizeof m) == static_cast<ssize_t>(sizeof m)) out = m;
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return out;
}

// In a child, so the heap is not already full of freed fixture memory that the load could
// reuse (which would hide its real cost).
memory_figures measure_memory(std::size_t nodes) {
    return in_child<memory_figures>([nodes] {
        memory_figures m;
        m.nodes = nodes;
        {
            const auto files = bench::generate_trees({nodes, 1, true, true});
            m.xml_bytes = static_cast<double>(files.root.xml.size());
            ::malloc_trim(0);
            const double rss0 = rss_now();
            const auto heap0 = ::mallinfo2().uordblks;
            auto r = load_tree_string(files.root.xml, "memory.xml");
            ::malloc_trim(0);  // give back what the parse used and freed
            m.rss_bytes = rss_now() - rss0;
            m.heap_bytes = static_cast<double>(::mallinfo2().uordblks - heap0);
            m.ok = r.ok();
        }
        return m;
    });
}

// [SECTION] Heap traffic of one load

struct heap_floor {
    bool ok = false;
    double seconds = 0;  // best replay of the recorded traffic
    double blocks = 0;   // allocations in it
};

// Records every allocation and free of one load of the tree (its result freed included),
// then replays exactly those with malloc/free, with nothing else: what the model's heap
// blocks cost before a byte is parsed or checked. Load cannot be faster than pugixml's
// parse plus this while the model owns its strings one by one. In a forked child, so the
// recording and the replays do not leave the benchmarks' heap fragmented (they slowed
// pugixml's own parse by a third when run in the same process).
heap_floor measure_heap_floor(const fixture& f) {
    if (!SIGNPOST_BENCH_HEAP_HOOKS) return {};
    return in_child<heap_floor>([&f] {
        heap_floor h;
        std::vector<heap_log::step> steps;
        {
            const heap_log::recorder recording(steps);
            const auto again = load_tree_string(f.files.root.xml, f.files.root.id + ".xml");
        }
        std::vector<void*> slot(heap_log::next_slot, nullptr);
        h.seconds = 1e300;
        for (int run = 0; run < 5; ++run) {
            const auto start = std::chrono::steady_clock::now();
            for (const auto& st : steps) {
                if (st.release) {
                    std::free(slot[st.slot]);
                    slot[st.slot] = nullptr;
                } else {
                    slot[st.slot] = std::malloc(st.size ? st.size : 1);
                    benchmark::DoNotOptimize(slot[st.slot]);
                }
            }
            for (void*& p : slot) {  // blocks the load kept past its result (none expected)
                std::free(p);
                p = nullptr;
            }
            h.seconds = std::min(h.seconds, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        }
        for (const auto& st : steps) h.blocks += st.release ? 0 : 1;
        h.ok = true;
        return h;
    });
}

// [SECTION] Benchmarks

void bm_pugixml(benchmark::State& state, const fixture* f) {
    const std::string& xml = f->files.root.xml;
    for (auto _ : state) {
        pugi::xml_document doc;
        const auto r = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
        if (!r) state.SkipWithError("pugixml refused the generated tree");
        benchmark::DoNotOptimize(doc.first_child());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * xml.size()));
}

// pugixml's parse, then one visit of every element and attribute keeping a pointer to each
// value: no model, no copy, no length, no check. Any loader that builds its model from
// pugixml's DOM does at least this, so its ratio is the lowest such a loader can reach.
void bm_dom_visit(benchmark::State& state, const fixture* f) {
    const std::string& xml = f->files.root.xml;
    std::vector<const char*> values;
    values.reserve(xml.size() / 16);
    for (auto _ : state) {
        pugi::xml_document doc;
        const auto r = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
        if (!r) state.SkipWithError("pugixml refused the generated tree");
        values.clear();
        pugi::xml_node n = doc.first_child();
        while (n) {
            for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) values.push_back(a.value());
            if (n.type() == pugi::node_pcdata) values.push_back(n.value());
            if (n.first_child()) {
                n = n.first_child();
                continue;
            }
            while (n && !n.next_sibling()) n = n.parent();
            if (n) n = n.next_sibling();
        }
        benchmark::DoNotOptimize(values.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * xml.size()));
}

void bm_load(benchmark::State& state, const fixture* f) {
    const std::string& xml = f->files.root.xml;
    for (auto _ : state) {
        auto r = load_tree_string(xml, "bench.xml");
        if (!r.ok()) state.SkipWithError("the generated tree did not load");
        benchmark::DoNotOptimize(r.loaded.get());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * xml.size()));
}

void bm_validate(benchmark::State& state, const fixture* f) {
    for (auto _ : state) {
        auto found = validate_tree(*f->loaded, f->library.get());
        benchmark::DoNotOptimize(found.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f->files.root.xml.size()));
}

void bm_save(benchmark::State& state, const fixture* f) {
    for (auto _ : state) {
        auto text = save_tree_string(*f->loaded);
        benchmark::DoNotOptimize(text.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f->files.root.xml.size()));
}

// One iteration = one agent action: choose (conditional choices, sets), next, submit a
// form, back (10%), or a new call once one ends. Logic and jumps run inside these.
// A call that has not ended after `max_steps` actions is abandoned and a new one starts:
// real calls are short, and a random walk through a big tree can otherwise wander for
// thousands of steps, which no agent does (each step costs the same either way since the
// history keeps only what an action changed: docs/performance.md).
void bm_walk(benchmark::State& state, const fixture* f, std::int64_t max_steps) {
    manual_clock clk(1'700'000'000'000);
    std::optional<session> s(std::in_place, f->loaded, f->library.get(), clk);
    std::uint64_t r = 0x243f6a8885a308d3ULL;
    auto roll = [&r](std::size_t n) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        return static_cast<std::size_t>(r % n);
    };
    std::map<std::string, std::string> answers;
    for (const auto& [var, text] : bench::generated_form_answers()) answers[var] = text;
    std::int64_t failed = 0, calls = 0, steps = 0;
    for (auto _ : state) {
        clk.advance(1500);
        const view& v = s->current();
        bool ok = true;
        if (++steps > max_steps) s->abandon("benchmark: call too long");
        if (s->finished()) {
            steps = 0;
            ++calls;
            s.emplace(f->loaded, f->library.get(), clk);
        } else if (!v.stuck.empty() || (s->can_go_back() && roll(10) == 0)) {
            ok = s->can_go_back() ? s->back().ok : (s->restart(), true);
        } else if (!v.choices.empty()) {
            ok = s->choose(static_cast<int>(roll(v.choices.size()))).ok;
        } else if (!v.fields.empty()) {
            std::map<std::string, std::string> inputs;
            for (const auto& field : v.fields) inputs[field.variable] = answers[field.variable];
            ok = s->submit(inputs).ok;
        } else {
            ok = s->next().ok;
        }
        if (!ok) ++failed;
    }
    if (failed) state.SkipWithError("an action of the walk failed");
    state.SetItemsProcessed(state.iterations());
    state.counters["steps_per_call"] = calls ? double(state.iterations()) / double(calls) : 0.0;
}

// [SECTION] Collecting results

struct result {
    double seconds = 0;  // per iteration (median over repetitions)
    double bytes_per_second = 0;
    double items_per_second = 0;
    double steps_per_call = 0;
    bool error = false;
    std::string error_message;
};

// Keeps every run (progress goes to stderr) and, with repetitions, the median.
class collector final : public benchmark::BenchmarkReporter {
public:
    bool ReportContext(const Context&) override { return true; }
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const auto& run : runs) {
            const std::string name = run.run_name.function_name;
            if (run.error_occurred) {
                auto& r = m_results[name];
                r.error = true;
                r.error_message = run.error_message;
                std::fprintf(stderr, "  %-24s ERROR: %s\n", name.c_str(), run.error_message.c_str());
                continue;
            }
            if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "median") continue;
            if (run.run_type == Run::RT_Iteration && run.repetitions > 1) {
                std::fprintf(stderr, "  %-24s %12.4f ms\n", name.c_str(), seconds_of(run) * 1e3);
                continue;  // the median aggregate follows
            }
            auto& r = m_results[name];
            r.seconds = seconds_of(run);
            r.bytes_per_second = counter(run, "bytes_per_second");
            r.items_per_second = counter(run, "items_per_second");
            r.steps_per_call = counter(run, "steps_per_call");
            if (run.repetitions <= 1) std::fprintf(stderr, "  %-24s %12.4f ms\n", name.c_str(), r.seconds * 1e3);
        }
    }
    const result* find(const std::string& name) const {
        const auto it = m_results.find(name);
        return it == m_results.end() || it->second.error ? nullptr : &it->second;
    }
    bool any_error() const {
        return std::any_of(m_results.begin(), m_results.end(), [](const auto& kv) { return kv.second.error; });
    }

private:
    static double seconds_of(const Run& run) {
        return run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
    }
    static double counter(const Run& run, const char* name) {
        const auto it = run.counters.find(name);
        return it == run.counters.end() ? 0.0 : static_cast<double>(it->second);
    }
    std::map<std::string, result> m_results;
};

// [SECTION] The table

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string duration(double seconds) {
    if (seconds >= 1) return fixed(seconds, 2) + " s";
    if (seconds >= 1e-3) return fixed(seconds * 1e3, 2) + " ms";
    if (seconds >= 1e-6) return fixed(seconds * 1e6, 2) + " us";
    return fixed(seconds * 1e9, 0) + " ns";
}

std::string rate(double per_second, const char* unit) {
    if (per_second >= 1e6) return fixed(per_second / 1e6, 2) + " M" + unit + "/s";
    if (per_second >= 1e3) return fixed(per_second / 1e3, 1) + " k" + unit + "/s";
    return fixed(per_second, 0) + " " + unit + "/s";
}

struct row {
    std::string what, nodes, xml, time, throughput, ratio;
};

struct table {
    std::vector<row> rows;
    std::vector<std::string> notes;

    void print_tsv(std::FILE* out) const {
        for (const auto& r : rows)
            std::fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\n", r.what.c_str(), r.nodes.c_str(), r.xml.c_str(),
                         r.time.c_str(), r.throughput.c_str(), r.ratio.c_str());
    }
    void print(std::FILE* out) const {
        std::vector<row> all{{"benchmark", "nodes", "XML", "time/op", "throughput", "ratio"}};
        all.insert(all.end(), rows.begin(), rows.end());
        std::size_t w[6] = {};
        for (const auto& r : all) {
            const std::string* cells[6] = {&r.what, &r.nodes, &r.xml, &r.time, &r.throughput, &r.ratio};
            for (int i = 0; i < 6; ++i) w[i] = std::max(w[i], cells[i]->size());
        }
        for (std::size_t i = 0; i < all.size(); ++i) {
            const auto& r = all[i];
            std::fprintf(out, "%-*s  %*s  %*s  %*s  %*s  %s\n", int(w[0]), r.what.c_str(), int(w[1]), r.nodes.c_str(),
                         int(w[2]), r.xml.c_str(), int(w[3]), r.time.c_str(), int(w[4]), r.throughput.c_str(),
                         r.ratio.c_str());
            if (i == 0) {
                std::size_t total = w[0] + w[1] + w[2] + w[3] + w[4] + w[5] + 10;
                std::fprintf(out, "%s\n", std::string(total, '-').c_str());
            }
        }
    }
};

// How per-node cost grows with the tree: time per node at each size, and the exponent k
// of time ~ n^k between consecutive sizes and overall. n log n over 1k..100k gives k ~ 1.11.
std::string growth(const std::string& label, const collector& c, const std::vector<std::size_t>& sizes) {
    std::vector<const result*> found;
    for (const std::size_t n : sizes) {
        found.push_back(c.find(label + "/" + size_name(n)));
        if (!found.back() || found.back()->seconds <= 0) return {};
    }
    auto exponent = [&](std::size_t a, std::size_t b) {
        return std::log(found[b]->seconds / found[a]->seconds) / std::log(double(sizes[b]) / double(sizes[a]));
    };
    std::string per_node, names, steps;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        per_node += (i ? " / " : "") + duration(found[i]->seconds / double(sizes[i]));
        names += (i ? " / " : "") + size_name(sizes[i]);
        if (i) steps += (i > 1 ? ", " : "") + fixed(exponent(i - 1, i), 2);
    }
    const double k = exponent(0, sizes.size() - 1);
    const char* verdict = k <= 0.95 ? "better than linear" : k <= 1.2 ? "linear" : "WORSE THAN LINEAR";
    return label + ": " + per_node + " per node at " + names + "; k = " + steps + " step by step, " + fixed(k, 2) +
           " overall (" + verdict + ")";
}

table build_table(const collector& c, const std::vector<std::unique_ptr<fixture>>& fixtures,
                  const std::vector<heap_floor>& heap, const memory_figures& memory) {
    table t;
    for (std::size_t i = 0; i < fixtures.size(); ++i) {
        const auto& f = fixtures[i];
        const std::string n = size_name(f->nodes);
        const double mb = double(f->files.root.xml.size()) / 1e6;
        const std::string xml = fixed(mb, 2) + " MB";
        const result* floor = c.find("pugixml/" + n);
        const result* load = c.find("load/" + n);
        auto mbps = [&](const result* r) { return r ? fixed(mb / r->seconds, 1) + " MB/s" : std::string("-"); };
        auto vs = [](const result* r, const result* base, const char* what) {
            return r && base ? fixed(r->seconds / base->seconds, 2) + "x " + what : std::string("-");
        };
        if (floor) t.rows.push_back({"pugixml DOM parse (floor)", n, xml, duration(floor->seconds), mbps(floor), "1.00"});
        if (const result* r = c.find("dom-visit/" + n))
            t.rows.push_back({"pugixml parse + visit every node (no model)", n, xml, duration(r->seconds), mbps(r),
                              vs(r, floor, "pugixml (least for a loader on its DOM)")});
        if (load) {
            std::string ratio = vs(load, floor, "pugixml");
            if (floor) ratio += load->seconds / floor->seconds <= 1.5 ? " (target <= 1.5: met)" : " (target <= 1.5: MISSED)";
            t.rows.push_back({"load (parse+model+index)", n, xml, duration(load->seconds), mbps(load), ratio});
        }
        if (i < heap.size() && heap[i].ok)
            t.rows.push_back({"  of which heap blocks alone (replayed)", n, "", duration(heap[i].seconds),
                              fixed(heap[i].blocks / double(f->nodes), 1) + " blocks/node",
                              floor ? fixed(heap[i].seconds / floor->seconds, 2) + "x pugixml" : std::string("-")});
        if (const result* r = c.find("validate/" + n))
            t.rows.push_back({"validate (all checks)", n, xml, duration(r->seconds), mbps(r), vs(r, load, "load")});
        if (const result* r = c.find("save/" + n))
            t.rows.push_back({"canonical save", n, xml, duration(r->seconds), mbps(r), vs(r, load, "load")});
    }
    for (const auto& f : fixtures) {
        const std::string n = size_name(f->nodes);
        if (const result* r = c.find("walk/" + n))
            t.rows.push_back({"random walk step (calls <= 200 steps)", n, "", duration(r->seconds),
                              rate(r->items_per_second, "steps"), fixed(r->steps_per_call, 0) + " steps/call"});
    }
    if (memory.ok && memory.nodes) {
        const double nodes = double(memory.nodes);
        t.rows.push_back({"memory: RSS per loaded node", size_name(memory.nodes),
                          fixed(memory.xml_bytes / nodes, 0) + " B/node", "", fixed(memory.rss_bytes / nodes, 0) + " B/node",
                          fixed(memory.rss_bytes / memory.xml_bytes, 2) + "x XML size"});
        t.rows.push_back({"memory: heap per loaded node", size_name(memory.nodes), "", "",
                          fixed(memory.heap_bytes / nodes, 0) + " B/node",
                          fixed(memory.heap_bytes / memory.xml_bytes, 2) + "x XML size"});
    }
    if (fixtures.size() >= 2) {
        std::vector<std::size_t> sizes;
        for (const auto& f : fixtures) sizes.push_back(f->nodes);
        for (const char* what : {"pugixml", "load", "validate", "save"}) {
            auto line = growth(what, c, sizes);
            if (!line.empty()) t.notes.push_back(line);
        }
    }
    return t;
}

std::string machine_line() {
    std::string model;
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);) {
        if (line.rfind("model name", 0) == 0) {
            model = line.substr(line.find(':') + 2);
            break;
        }
    }
    char date[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M", std::localtime(&now));
    return std::string(date) + ", " + (model.empty() ? "unknown CPU" : model) + ", " +
           std::to_string(::sysconf(_SC_NPROCESSORS_ONLN)) + " cores";
}

// [SECTION] main

std::vector<std::size_t> parse_sizes(std::string_view list) {
    std::vector<std::size_t> out;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const std::string item(list.substr(0, comma));
        std::size_t mult = 1;
        std::string digits = item;
        if (!digits.empty() && (digits.back() == 'k' || digits.back() == 'K')) {
            mult = 1000;
            digits.pop_back();
        }
        char* end = nullptr;
        const unsigned long long v = std::strtoull(digits.c_str(), &end, 10);
        if (digits.empty() || *end != '\0' || v * mult < 8 || v * mult > 1'000'000) return {};
        out.push_back(static_cast<std::size_t>(v * mult));
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return out;
}

void usage() {
    std::fprintf(stderr,
                 "usage: signpost-bench [--sizes=1k,10k,100k] [--check] [--tsv] [--no-walk] [--no-memory]\n"
                 "                      [Google Benchmark flags, e.g. --benchmark_repetitions=3]\n"
                 "  --check   only verify the generated trees are clean and canonical, then exit\n"
                 "  --tsv     print the table as tab-separated rows (for bench.sh)\n");
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes = {1000, 10000, 100000};
    bool check_only = false, tsv = false, walk = true, memory = true;
    std::vector<char*> rest = {argv[0]};
    bool repetitions_given = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a.rfind("--sizes=", 0) == 0) {
            sizes = parse_sizes(a.substr(8));
            if (sizes.empty()) {
                usage();
                return 2;
            }
        } else if (a == "--check") {
            check_only = true;
        } else if (a == "--tsv") {
            tsv = true;
        } else if (a == "--no-walk") {
            walk = false;
        } else if (a == "--no-memory") {
            memory = false;
        } else if (a == "--help" || a == "-h") {
            usage();
            return 0;
        } else {
            if (a.rfind("--benchmark_repetitions", 0) == 0) repetitions_given = true;
            rest.push_back(argv[i]);
        }
    }
    // Three repetitions and their median by default: one slow run on a shared machine
    // should not move a ratio.
    std::string repetitions = "--benchmark_repetitions=3";
    if (!repetitions_given && !check_only) rest.push_back(repetitions.data());
    int bench_argc = static_cast<int>(rest.size());
    rest.push_back(nullptr);
    benchmark::Initialize(&bench_argc, rest.data());
    if (benchmark::ReportUnrecognizedArguments(bench_argc, rest.data())) return 2;

    std::sort(sizes.begin(), sizes.end());
    memory_figures mem;
    if (memory && !check_only) mem = measure_memory(sizes.back());

    std::vector<std::unique_ptr<fixture>> fixtures;
    bool clean = true;
    for (const std::size_t n : sizes) {
        fixtures.push_back(make_fixture(n));
        clean = self_check(*fixtures.back()) && clean;
    }
    if (!clean) return 1;
    if (check_only) {
        for (const auto& f : fixtures)
            std::printf("generated %s tree (%zu bytes): loads clean, validates clean, saves byte-identical\n",
                        size_name(f->nodes).c_str(), f->files.root.xml.size());
        return 0;
    }

    for (const auto& f : fixtures) {
        const std::string n = size_name(f->nodes);
        const fixture* p = f.get();
        benchmark::RegisterBenchmark(("pugixml/" + n).c_str(), bm_pugixml, p)->Unit(benchmark::kMillisecond)->UseRealTime();
        benchmark::RegisterBenchmark(("dom-visit/" + n).c_str(), bm_dom_visit, p)->Unit(benchmark::kMillisecond)->UseRealTime();
        benchmark::RegisterBenchmark(("load/" + n).c_str(), bm_load, p)->Unit(benchmark::kMillisecond)->UseRealTime();
        benchmark::RegisterBenchmark(("validate/" + n).c_str(), bm_validate, p)->Unit(benchmark::kMillisecond)->UseRealTime();
        benchmark::RegisterBenchmark(("save/" + n).c_str(), bm_save, p)->Unit(benchmark::kMillisecond)->UseRealTime();
        if (walk) benchmark::RegisterBenchmark(("walk/" + n).c_str(), bm_walk, p, 200)->UseRealTime();
    }
    collector c;
    std::fprintf(stderr, "signpost-bench: %s\n", machine_line().c_str());
    benchmark::RunSpecifiedBenchmarks(&c);
    benchmark::Shutdown();
    std::vector<heap_floor> heap;
    for (const auto& f : fixtures)
        heap.push_back(c.find("load/" + size_name(f->nodes)) ? measure_heap_floor(*f) : heap_floor{});

    const table t = build_table(c, fixtures, heap, mem);
    if (tsv) {
        t.print_tsv(stdout);
        for (const auto& note : t.notes) std::printf("#\t%s\n", note.c_str());
    } else {
        std::printf("Signpost benchmarks: %s\n\n", machine_line().c_str());
        t.print(stdout);
        if (!t.notes.empty()) std::printf("\nGrowth from %s to %s nodes:\n", size_name(sizes.front()).c_str(), size_name(sizes.back()).c_str());
        for (const auto& note : t.notes) std::printf("  %s\n", note.c_str());
    }
    return c.any_error() ? 1 : 0;
}
