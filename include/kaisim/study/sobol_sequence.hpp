#pragma once
#include <cstdint>
#include <vector>

namespace kaisim::study {

/// A scrambled Sobol' low-discrepancy sequence in up to 32 dimensions (Bratley & Fox's
/// construction from primitive polynomials over GF(2)). Scrambling: a random linear matrix
/// scramble and a digital shift per dimension (Matousek 1998), drawn from Philox with `seed`;
/// the scrambled sequence keeps the (t, s)-net properties.
class SobolSequence {
  public:
    static constexpr int max_dimensions = 32;
    SobolSequence(int dimensions, std::uint32_t seed);
    int dimensions() const { return dims_; }
    /// Point `index` (0-based) in [0, 1)^dimensions.
    std::vector<double> point(std::uint32_t index) const;

  private:
    int dims_;
    std::vector<std::uint32_t> direction_;  // [dim * 32 + bit], scrambled
    std::vector<std::uint32_t> shift_;      // [dim]
};

}  // namespace kaisim::study
