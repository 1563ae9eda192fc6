#include <array>
#include <cstddef>

#include "kaisim/core/thread_scratch.hpp"
#include "kaisim/policy/provider_assignment.hpp"

namespace kaisim::policy {

bool operator==(const Supply& a, const Supply& b) {
    return a.type == b.type && a.count == b.count && a.units_per_gpu == b.units_per_gpu &&
           a.krw_per_gpu_h == b.krw_per_gpu_h && a.leased == b.leased &&
           a.lessor_team == b.lessor_team;
}

bool operator==(const Demand& a, const Demand& b) {
    return a.team == b.team && a.units == b.units && a.lessor == b.lessor;
}

namespace {

struct Remembered {
    std::vector<Supply> supplies;
    std::vector<Demand> demands;
    bool bar_lessors = false;
    model::Shortage shortage = model::Shortage::proportional;
    Assignment answer;
    bool used = false;
};

// Assumption: a reallocation sees a few dozen distinct questions per batch (the pool's tranches
// times the orders of lessors among the funded teams); 32 places hold them, replaced oldest first.
constexpr std::size_t places = 32;

// The question as the assignment sees it: a demand's team matters only as the lessor of a
// supply (it never receives its own leased GPUs), so other teams are all alike; whether a team
// is a lessor matters only under the bar on leased GPUs. (Without the second rule the reference
// scenario asked a new question for every order of its two lessors among the ranks.)
void see(const std::vector<Supply>& supplies, const std::vector<Demand>& demands, bool bar_lessors,
         std::vector<Demand>& seen) {
    seen.assign(demands.begin(), demands.end());
    bool any_leased = false;
    for (const Supply& s : supplies) any_leased = any_leased || s.leased;
    for (Demand& d : seen) {
        bool leases = false;
        for (const Supply& s : supplies) leases = leases || (s.leased && s.lessor_team == d.team);
        if (!leases) d.team = -2;
        if (!bar_lessors || !any_leased) d.lessor = false;
    }
}

}  // namespace

const Assignment& assign_providers_remembered(const std::vector<Supply>& supplies,
                                              const std::vector<Demand>& demands, bool bar_lessors,
                                              model::Shortage shortage) {
    struct Memory {
        std::array<Remembered, places> kept;
        std::size_t next = 0;
        std::vector<Demand> seen;
    };
    Memory& mem = core::thread_scratch<Memory>();
    std::array<Remembered, places>& memory = mem.kept;
    std::size_t& next = mem.next;
    std::vector<Demand>& seen = mem.seen;
    see(supplies, demands, bar_lessors, seen);
    for (Remembered& m : memory)
        if (m.used && m.bar_lessors == bar_lessors && m.shortage == shortage &&
            m.supplies == supplies && m.demands == seen)
            return m.answer;
    Remembered& m = memory[next];
    next = (next + 1) % places;
    // Computed before anything is overwritten: a failure leaves the place as it was.
    Assignment answer = assign_providers(supplies, demands, bar_lessors, shortage);
    m.used = false;
    m.supplies = supplies;
    m.demands = seen;
    m.bar_lessors = bar_lessors;
    m.shortage = shortage;
    m.answer = std::move(answer);
    m.used = true;
    return m.answer;
}

}  // namespace kaisim::policy
