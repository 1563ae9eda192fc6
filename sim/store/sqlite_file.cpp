#include "sqlite_file.hpp"

#include <algorithm>
#include <filesystem>

namespace kaisim::io::sqlite {

namespace {
std::string describe(const std::string& name, std::string type, bool not_null, int pk) {
    std::transform(type.begin(), type.end(), type.begin(), ::toupper);
    return name + " " + type + (not_null ? " NOT NULL" : "") +
           (pk ? " (key " + std::to_string(pk) + ")" : "");
}

}  // namespace

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
    return out;
}

File::File(const std::string& path, const std::string& definition, bool resume,
           const std::vector<Table>& schema, Kind kind)
    : path_(path), schema_(schema), kind_(std::move(kind)) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw std::runtime_error("cannot open " + path +
                                 ": it is a folder, not a store (remove it or choose another "
                                 "--out)");
    const int rc =
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        throw std::runtime_error("cannot open " + path + ": " + msg +
                                 " (check that its folder exists and is writable)");
    }
    try {
        open(definition, resume);
    } catch (...) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

File::~File() {
    sqlite3_close(db_);
}

void File::open(const std::string& definition, bool resume) {
    sqlite3_busy_timeout(db_, 10000);
    std::int64_t objects = 0;
    try {
        Statement st(db_, "SELECT count(*) FROM sqlite_master");
        st.step();
        objects = st.integer(0);
    } catch (const std::runtime_error& e) {
        const std::string what =
            std::string("this file is not a SQLite database (") + e.what() + ")";
        if (!resume) throw InputError(path_, 1, 1, what + ": delete it, or choose another --out");
        throw refusal(what);
    }
    if (objects > 0 && !resume)
        throw InputError(path_, 1, 1,
                         "this database already holds a " + kind_.noun +
                             ": add --resume to continue it, or choose another --out");
    if (objects > 0) {
        try {
            check_resumable(definition);
        } catch (const InputError&) {
            throw;
        } catch (const std::runtime_error& e) {
            throw refusal(std::string("it cannot be read (") + e.what() + ")");
        }
    }
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    if (objects > 0) return;
    // A new database: its tables and definition in one transaction, so that a database with
    // tables always records its definition.
    transaction(db_, [&] {
        for (const Table& t : schema_) exec(t.create);
        set_meta("definition", definition);
    });
}

void File::check_resumable(const std::string& definition) {
    {
        std::vector<std::string> problems;
        Statement st(db_, "PRAGMA integrity_check(4)");
        while (st.step()) problems.push_back(st.text(0));
        std::string all = join(problems, "; ");
        std::replace(all.begin(), all.end(), '\n', ' ');
        if (problems != std::vector<std::string>{"ok"})
            throw refusal("it fails SQLite's integrity check (" + all + ")");
    }
    for (const Table& t : schema_) {
        Statement exists(db_,
                         "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
        exists.bind(1, std::string(t.name));
        exists.step();
        if (exists.integer(0) == 0)
            throw refusal(std::string("it lacks the table '") + t.name + "'");
        std::vector<std::string> found;
        Statement info(db_, ("PRAGMA table_info(" + std::string(t.name) + ")").c_str());
        while (info.step())
            found.push_back(describe(info.text(1), info.text(2), info.integer(3) != 0,
                                     static_cast<int>(info.integer(5))));
        if (found != t.columns)
            throw refusal(std::string("its table '") + t.name + "' has the columns (" +
                          join(found, ", ") + ") where this kaisim creates (" +
                          join(t.columns, ", ") + ")");
    }
    const std::optional<std::string> stored = meta("definition");
    if (!stored)
        throw refusal("its meta table does not record the " + kind_.noun + "'s definition");
    if (*stored != definition)
        throw InputError(
            path_, 1, 1,
            "this database holds a " + kind_.noun + " of another definition (" + kind_.sources +
                " changed): choose another --out, or delete it and start afresh without --resume");
}

std::optional<std::string> File::meta(const std::string& key) const {
    Statement st(db_, "SELECT value FROM meta WHERE key = ?");
    st.bind(1, key);
    if (!st.step()) return std::nullopt;
    return st.text(0);
}

void File::exec(const char* sql) const {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw std::runtime_error("sqlite: " + msg + " (in " + path_ + ")");
    }
}

void File::set_meta(const std::string& key, const std::string& value) {
    Statement st(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    st.bind(1, key);
    st.bind(2, value);
    st.step();
}

InputError File::refusal(const std::string& what) const {
    return InputError(path_, 1, 1,
                      what + ": this " + kind_.noun +
                          " database cannot be resumed safely; to proceed, delete it and start "
                          "afresh without --resume, or run into another --out");
}

}  // namespace kaisim::io::sqlite
