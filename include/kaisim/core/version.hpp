#pragma once

namespace kaisim {

/// kaisim's version, written into every output.
inline constexpr const char* version = "0.1.0";

}  // namespace kaisim
