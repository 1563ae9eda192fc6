#include "kaisim/output/atomic_output.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <streambuf>
#include <system_error>
#include <utility>
#include <vector>

#include "kaisim/core/error.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/scenario/text_file.hpp"

namespace kaisim::io {

namespace {
namespace fs = std::filesystem;

// Live temporary files, readable from a signal handler: fixed slots, no allocation, no locks.
constexpr int slot_count = 128;
constexpr std::size_t slot_bytes = 4096;
struct Slot {
    std::atomic<int> state{0};  // 0 free, 1 being filled, 2 live
    char path[slot_bytes];
};
static_assert(std::atomic<int>::is_always_lock_free);
Slot registry[slot_count];
std::atomic<int> committing{0};  // commits under way: a signal waits for them
std::atomic<int> deferred{0};    // the signal that arrived during a commit

void remove_registered() {  // async-signal-safe
    for (Slot& s : registry)
        if (s.state.load() == 2) ::unlink(s.path);
}

// Ends the process by `sig` with its default action (from a handler: once the handler returns).
void die_by(int sig) {  // async-signal-safe
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, nullptr);
    raise(sig);
}

void on_signal(int sig) {
    const int saved = errno;
    if (committing.load() > 0) {
        deferred.store(sig);
    } else {
        remove_registered();
        die_by(sig);
    }
    errno = saved;
}

// Installs on_signal for SIGINT, SIGTERM, SIGHUP: where not ignored, or only where default.
void install_handlers(bool only_where_default) {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction old {};
        if (sigaction(sig, nullptr, &old) != 0) continue;
        const bool plain = !(old.sa_flags & SA_SIGINFO);
        if (plain && (old.sa_handler == SIG_IGN || old.sa_handler == on_signal)) continue;
        if (only_where_default && !(plain && old.sa_handler == SIG_DFL)) continue;
        struct sigaction act {};
        act.sa_handler = on_signal;
        sigemptyset(&act.sa_mask);
        act.sa_flags = SA_RESTART;
        sigaction(sig, &act, nullptr);
    }
}

int register_path(const std::string& p) {
    if (p.size() >= slot_bytes) throw std::runtime_error("cannot write " + p + ": path too long");
    for (int i = 0; i < slot_count; ++i) {
        int expected = 0;
        if (registry[i].state.compare_exchange_strong(expected, 1)) {
            std::memcpy(registry[i].path, p.c_str(), p.size() + 1);
            registry[i].state.store(2);
            return i;
        }
    }
    throw std::runtime_error("cannot write " + p + ": more than 128 temporary files at once");
}

void unregister(int& slot) {
    if (slot >= 0) registry[slot].state.store(0);
    slot = -1;
}

std::string reason(int err) {
    return std::error_code(err, std::system_category()).message();
}

// `n` random letters and digits from the kernel's generator.
std::string random_text(std::size_t n) {
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned char bytes[64];
    n = std::min(n, sizeof bytes);
    for (std::size_t got = 0; got < n;) {
        const ssize_t r = ::getrandom(bytes + got, n - got, 0);
        if (r < 0 && errno != EINTR)
            throw std::runtime_error("no random numbers for a temporary file name: " +
                                     reason(errno));
        if (r > 0) got += static_cast<std::size_t>(r);
    }
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += alphabet[bytes[i] % 62];
    return s;
}

std::string utc_now(const char* format) {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, format, &tm);
    return buf;
}

// The kind of a path, symbolic links not followed.
fs::file_type kind_of(const std::string& p) {
    std::error_code ec;
    return fs::symlink_status(p, ec).type();
}

std::string folder_of(const std::string& path) {
    fs::path p = fs::path(path).lexically_normal();
    if (!p.has_filename()) p = p.parent_path();
    return p.empty() ? "." : p.string();
}

// Throws when `dir` cannot be an output folder: something other than a folder is there, or a
// symbolic link to nothing (where create_directories would say only "File exists").
void check_output_folder(const std::string& dir) {
    std::error_code ec;
    const fs::file_status link = fs::symlink_status(dir, ec);
    if (link.type() == fs::file_type::not_found || link.type() == fs::file_type::none) return;
    const fs::file_status target = fs::status(dir, ec);
    if (fs::is_symlink(link) && !fs::exists(target))
        throw std::runtime_error("cannot write into " + dir + ": it is a symbolic link to " +
                                 fs::read_symlink(dir, ec).string() + ", which does not exist");
    if (!fs::is_directory(target))
        throw std::runtime_error("cannot write into " + dir + ": it is a file, not a folder");
}

// Creates `dir` and the parents it lacks; appends those it created, outermost first.
void make_folder(const std::string& dir, std::vector<std::string>& created) {
    check_output_folder(dir);
    std::vector<std::string> missing;
    std::error_code ec;
    // (A relative path ends at "", an absolute one at "/", which exists.)
    for (fs::path p(dir); !p.empty() && !fs::exists(fs::symlink_status(p, ec)); p = p.parent_path())
        missing.push_back(p.string());
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create the folder " + dir + ": " + ec.message());
    created.insert(created.end(), missing.rbegin(), missing.rend());
}

// Renames `path` to an unused name beside it (never replacing a file); returns that name.
std::string move_aside(const std::string& path) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        const std::string backup = path + ".old." + random_text(12);
        if (::renameat2(AT_FDCWD, path.c_str(), AT_FDCWD, backup.c_str(), RENAME_NOREPLACE) == 0)
            return backup;
        if (errno == EEXIST) continue;
        if ((errno == EINVAL || errno == ENOSYS) && ::rename(path.c_str(), backup.c_str()) == 0)
            return backup;
        throw std::runtime_error("cannot move " + path + " aside: " + reason(errno));
    }
    throw std::runtime_error("cannot move " + path + " aside: no free name");
}

}  // namespace

// One file not yet committed: its temporary name is registered (removed on signals) as long as
// the file may exist under it. For stream(), also the stream buffer (64 KiB at a time).
struct AtomicOutputs::Pending : std::streambuf {
    std::string tmp, final_path;
    int slot = -1, fd = -1;
    int error = 0;  // errno of the first failed write
    std::uint64_t bytes = 0, hash = fnv1a64_offset;
    std::vector<char> buf;
    std::unique_ptr<std::ostream> os;
    ~Pending() override {
        os.reset();
        if (fd >= 0) ::close(fd);
        if (slot >= 0) ::unlink(tmp.c_str());
        unregister(slot);
    }
    bool write(const char* data, std::size_t n) {
        if (error) return false;
        hash = fnv1a64(hash, data, n);
        bytes += n;
        while (n > 0) {
            const ssize_t w = ::write(fd, data, n);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                error = w < 0 ? errno : EIO;
                return false;
            }
            data += w;
            n -= static_cast<std::size_t>(w);
        }
        return true;
    }
    int_type overflow(int_type c) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override { return drain() ? 0 : -1; }
    bool drain() {
        const auto n = static_cast<std::size_t>(pptr() - pbase());
        if (n > 0 && !write(pbase(), n)) return false;
        setp(buf.data(), buf.data() + buf.size());
        return true;
    }
};

namespace {
// Creates the temporary file of `final_path` exclusively, its name registered first.
std::unique_ptr<AtomicOutputs::Pending> create_pending(const std::string& final_path) {
    static std::once_flag installed;
    std::call_once(installed, [] { install_handlers(true); });
    auto p = std::make_unique<AtomicOutputs::Pending>();
    p->final_path = final_path;
    const fs::path fp(final_path);
    for (int attempt = 0;; ++attempt) {
        p->tmp = (fp.parent_path() / (fp.filename().string() + ".tmp." + random_text(12))).string();
        p->slot = register_path(p->tmp);
        p->fd = ::open(p->tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (p->fd >= 0) return p;
        const int err = errno;
        unregister(p->slot);
        if ((err == EEXIST || err == EINTR) && attempt < 100) continue;
        throw std::runtime_error("cannot write " + final_path + ": " + reason(err));
    }
}

// Flushes, syncs and closes a pending file; throws with the reason of a failed write.
void finish(AtomicOutputs::Pending& p) {
    if (p.os) p.os->flush();
    if (!p.error && p.os && !*p.os) p.error = EIO;
    if (!p.error && ::fsync(p.fd) != 0 && errno != EINVAL) p.error = errno;
    if (::close(p.fd) != 0 && !p.error && errno != EINTR) p.error = errno;
    p.fd = -1;
    if (p.error) throw std::runtime_error("cannot write " + p.final_path + ": " + reason(p.error));
}
}  // namespace

AtomicOutputs::AtomicOutputs() = default;
AtomicOutputs::AtomicOutputs(std::string dir, std::string kind)
    : mode_(Mode::replace), dir_(folder_of(dir)), kind_(std::move(kind)) {
    check_output_folder(dir_);
}
AtomicOutputs::AtomicOutputs(std::string dir) : mode_(Mode::extend), dir_(folder_of(dir)) {
    check_output_folder(dir_);
}
AtomicOutputs::~AtomicOutputs() {
    pending_.clear();  // removes the temporary files
    if (!committed_)   // a failed command leaves no folder it created (rmdir: only if empty)
        for (auto it = created_.rbegin(); it != created_.rend(); ++it) ::rmdir(it->c_str());
}

void make_output_folder(const std::string& dir) {
    std::vector<std::string> created;
    make_folder(folder_of(dir), created);
}

void AtomicOutputs::create(const std::string& path) {
    try {
        if (mode_ != Mode::plain && !std::exchange(made_, true)) make_folder(dir_, created_);
        if (mode_ != Mode::plain) {
            KAISIM_ASSERT(folder_of(fs::path(path).parent_path().string()) == dir_);
            KAISIM_ASSERT(is_manifest_file_name(fs::path(path).filename().string()));
        }
        pending_.push_back(create_pending(path));
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(e.what() + std::string(kept()));
    }
}

const char* AtomicOutputs::kept() const {
    return mode_ == Mode::replace  ? " (the earlier outputs are as they were)"
           : mode_ == Mode::extend ? " (the folder's outputs are as they were, without it)"
                                   : "";
}

void AtomicOutputs::add(const std::string& path, const std::string& content) {
    create(path);
    Pending& p = *pending_.back();
    if (!p.write(content.data(), content.size())) {
        const int err = p.error;
        pending_.pop_back();
        throw std::runtime_error("cannot write " + path + ": " + reason(err) + kept());
    }
}

std::ostream& AtomicOutputs::stream(const std::string& path) {
    create(path);
    Pending& p = *pending_.back();
    p.buf.resize(1 << 16);
    p.drain();
    p.os = std::make_unique<std::ostream>(&p);
    return *p.os;
}

void AtomicOutputs::check() const {
    for (const auto& p : pending_)
        if (p->error || (p->os && !*p->os))
            throw std::runtime_error("cannot write " + p->final_path + ": " +
                                     reason(p->error ? p->error : EIO) + kept());
}

void AtomicOutputs::commit() {
    // Nothing is renamed yet: a write that failed (a full disk) leaves the folder as it was.
    try {
        if (mode_ != Mode::plain && !std::exchange(made_, true)) make_folder(dir_, created_);
        for (const auto& p : pending_) finish(*p);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(e.what() + std::string(kept()));
    }
    std::optional<OutputManifest> earlier;
    if (mode_ != Mode::plain) try {
            earlier = read_manifest(dir_);
        } catch (const std::runtime_error&) {  // not a manifest kaisim can read: replaced
        }
    const bool with_manifest = mode_ == Mode::replace || (mode_ == Mode::extend && earlier);
    OutputManifest next;
    std::vector<std::string> stale;  // the earlier set's files the new one does not rewrite
    if (mode_ == Mode::replace) {
        next = {version,
                kind_,
                utc_now("%Y%m%dT%H%M%SZ-") + random_text(10),
                utc_now("%Y-%m-%dT%H:%M:%SZ"),
                {}};
        // Only files as the earlier set wrote them: one edited since (another size or hash) is
        // the user's now, and stays.
        if (earlier)
            for (const ManifestFile& f : earlier->files) {
                const auto now = file_digest((fs::path(dir_) / f.name).string());
                if (now && now->first == f.bytes && now->second == f.fnv1a64)
                    stale.push_back(f.name);
            }
    } else if (earlier) {
        next = *earlier;
    }
    for (const auto& p : pending_) {
        const std::string name = fs::path(p->final_path).filename().string();
        std::erase_if(next.files, [&](const ManifestFile& f) { return f.name == name; });
        std::erase(stale, name);
        next.files.push_back({name, p->bytes, fnv1a64_hex(p->hash), mode_ == Mode::extend});
    }
    const std::string manifest_path = (fs::path(dir_) / manifest_name).string();
    if (with_manifest) {
        pending_.push_back(create_pending(manifest_path));  // last: renamed in after the files
        const std::string text = manifest_text(next);
        pending_.back()->write(text.data(), text.size());
        finish(*pending_.back());
    }

    // Signals wait until the folder is committed or rolled back.
    struct Deferral {
        Deferral() { committing.fetch_add(1); }
        ~Deferral() {
            if (committing.fetch_sub(1) == 1)
                if (const int sig = deferred.exchange(0)) {
                    remove_registered();
                    die_by(sig);
                }
        }
    } deferral;
    std::vector<std::pair<std::string, std::string>> moved;   // (path, its backup)
    std::vector<std::pair<std::string, std::string>> placed;  // (final, backup of the old one)
    bool restored = true;
    try {
        if (with_manifest && kind_of(manifest_path) != fs::file_type::not_found)
            moved.emplace_back(manifest_path, move_aside(manifest_path));  // marks it incomplete
        for (const std::string& name : stale) {
            const std::string path = (fs::path(dir_) / name).string();
            if (kind_of(path) == fs::file_type::regular) moved.emplace_back(path, move_aside(path));
        }
        for (const auto& p : pending_) {
            const fs::file_type there = kind_of(p->final_path);
            const std::string backup =
                there != fs::file_type::not_found && there != fs::file_type::directory
                    ? move_aside(p->final_path)
                    : "";
            if (::rename(p->tmp.c_str(), p->final_path.c_str()) != 0) {
                const int err = errno;
                if (!backup.empty())
                    restored = ::rename(backup.c_str(), p->final_path.c_str()) == 0;
                throw std::runtime_error("cannot write " + p->final_path + ": " + reason(err));
            }
            unregister(p->slot);
            placed.emplace_back(p->final_path, backup);
        }
    } catch (const std::runtime_error& e) {
        for (auto it = placed.rbegin(); it != placed.rend(); ++it) {
            restored = ::unlink(it->first.c_str()) == 0 && restored;
            if (!it->second.empty())
                restored = ::rename(it->second.c_str(), it->first.c_str()) == 0 && restored;
        }
        for (auto it = moved.rbegin(); it != moved.rend(); ++it) {
            if (it->first == manifest_path && !restored)
                ::unlink(it->second.c_str());  // never a manifest over a mixed set
            else
                restored = ::rename(it->second.c_str(), it->first.c_str()) == 0 && restored;
        }
        throw std::runtime_error(
            std::string(e.what()) +
            (restored ? kept() : " (the folder holds a partial set: no manifest)"));
    }
    for (const auto& [path, backup] : moved) ::unlink(backup.c_str());
    for (const auto& [path, backup] : placed)
        if (!backup.empty()) ::unlink(backup.c_str());
    if (mode_ != Mode::plain) {
        const int d = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (d >= 0) {
            ::fsync(d);
            ::close(d);
        }
    }
    pending_.clear();
    committed_ = true;
}

void install_cleanup_on_signals() {
    install_handlers(false);
}

}  // namespace kaisim::io
