#pragma once
#include <string>
#include <vector>

namespace kaisim::model {

/// A GPU model: name and dense BF16 peak.
struct GpuType {
    std::string id;         ///< e.g. "H100"
    double peak_flops = 0;  ///< dense BF16 peak, FLOP/s per GPU
    /// Quota units one GPU of this type counts for (default: peak relative to the first type;
    /// a scenario can state the programme's own ratio, e.g. 1 B200 = 2 H100).
    double units = 1;
    double lease_krw_per_gpu_h = 0;  ///< default lease price of tranches of this type
};

/// A count of GPUs of one type.
struct GpuCount {
    int type = 0;   ///< index into Scenario::gpu_types
    int count = 0;  ///< GPUs, >= 0
};

/// How the programme obtains a tranche of GPUs.
enum class Acquisition { lease, purchase };

/// A tranche of the programme's GPU pool: `count` GPUs of `type` available in [from_h, until_h).
struct Tranche {
    double from_h = 0;   ///< hours since the programme start
    double until_h = 0;  ///< hours since the programme start (exclusive)
    int type = 0;
    int count = 0;
    std::string provider;  ///< supplier; a team id here makes that team the lessor of the tranche
    int lessor_team = -1;  ///< index of the team that is the provider, or -1
    Acquisition mode = Acquisition::lease;
    double lease_krw_per_gpu_h = 0;   ///< lease price per GPU-hour (lease only)
    double purchase_krw_per_gpu = 0;  ///< purchase price per card, paid at `from_h` (purchase only)
};

}  // namespace kaisim::model
