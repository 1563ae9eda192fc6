#pragma once
#include <cstdint>
#include <vector>

namespace kaisim::study {

/// A scrambled Sobol' low-discrepancy sequence: Boost.Random's sobol_engine (32-bit, Joe & Kuo
/// 2008 direction numbers, "new-joe-kuo-6" table), with a random linear matrix scramble and a
/// digital shift per dimension (Matousek 1998) drawn from Philox with `seed`; the scrambled
/// sequence keeps the (t, s)-net properties (every 2^m consecutive points from index 0 are a net).
class SobolSequence {
  public:
    /// Most dimensions: those of Boost's default table (3667, polynomials of degree <= 15).
    static constexpr int max_dimensions = 3667;
    /// The sequence in `dimensions` (1 .. max_dimensions) dimensions, scrambled from `seed`.
    SobolSequence(int dimensions, std::uint32_t seed);
    /// Number of dimensions.
    int dimensions() const { return dims_; }
    /// Point `index` (0-based, Gray-code order) in (0, 1)^dimensions: point 0 is the origin
    /// (that Boost's engine skips), point i >= 1 is the engine's vector i - 1, both scrambled.
    /// O(dimensions x 32) for any index, so random and sequential access cost the same.
    std::vector<double> point(std::uint32_t index) const;

  private:
    int dims_;
    std::vector<std::uint32_t> direction_;  // [bit * dims + dim], scrambled
    std::vector<std::uint32_t> shift_;      // [dim]
};

}  // namespace kaisim::study
