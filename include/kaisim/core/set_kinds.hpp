#pragma once
// What a study's parameter may set: checked by the scenario reader while a study proves that its
// parameters apply (study::check_parameters), so that a number never lands silently on a text
// field, nor a continuous draw on a whole-number field.
#include <map>
#include <optional>
#include <string>

namespace kaisim::core {

/// The kind of value a --set assignment of a study parameter carries.
enum class SetKind {
    number,      ///< a whole number (an integer parameter): not for a text field
    continuous,  ///< any real (uniform, loguniform, normal): not for text or whole numbers
};

/// While alive on a thread, the scenario reader refuses each of these assignments (`PATH=VALUE`,
/// as given to --set) where its value cannot go. Loading without one checks nothing more.
class SetKinds {
  public:
    explicit SetKinds(std::map<std::string, SetKind> kinds);
    ~SetKinds();
    SetKinds(const SetKinds&) = delete;
    SetKinds& operator=(const SetKinds&) = delete;

    /// The one active on this thread, or nullptr.
    static const SetKinds* active();
    /// The kind of `assignment`, if a study parameter made it.
    std::optional<SetKind> kind(const std::string& assignment) const;

  private:
    std::map<std::string, SetKind> kinds_;
    const SetKinds* outer_;
};

}  // namespace kaisim::core
