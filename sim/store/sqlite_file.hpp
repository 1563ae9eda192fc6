#pragma once
// What kaisim's SQLite stores share (sweeps, calibrations): statements, transactions, and a
// database file opened, checked and created as a store of one definition. Private to sim/store/.
#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "kaisim/core/error.hpp"

namespace kaisim::io::sqlite {

/// "sqlite: MESSAGE (in FILE)": SQLite's own message ("database or disk is full") says which
/// store only with its file.
inline std::runtime_error failure(sqlite3* db) {
    const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
    return std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db) +
                              (file && *file ? std::string(" (in ") + file + ")" : ""));
}

// A prepared statement, finalized on scope exit.
class Statement {
  public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK) throw failure(db);
    }
    ~Statement() { sqlite3_finalize(st_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    void bind(int i, std::int64_t v) { sqlite3_bind_int64(st_, i, v); }
    void bind(int i, double v) { sqlite3_bind_double(st_, i, v); }
    void bind(int i, const std::string& v) {
        sqlite3_bind_text(st_, i, v.c_str(), -1, SQLITE_TRANSIENT);
    }
    bool step() {
        const int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) throw failure(db_);
        return false;
    }
    /// Executes a statement that returns no rows and makes it ready for new bindings.
    void run() {
        step();
        sqlite3_reset(st_);
        sqlite3_clear_bindings(st_);
    }
    /// Binds doubles as a blob of their bytes (exact, NaN included).
    void bind(int i, const std::vector<double>& v) {
        sqlite3_bind_blob(st_, i, v.data(), static_cast<int>(v.size() * sizeof(double)),
                          SQLITE_TRANSIENT);
    }
    /// A blob of doubles as bound above; nullopt when the column is not a blob of whole doubles.
    std::optional<std::vector<double>> doubles(int col) {
        if (type(col) != SQLITE_BLOB) return std::nullopt;
        const auto bytes = static_cast<std::size_t>(sqlite3_column_bytes(st_, col));
        if (bytes % sizeof(double) != 0) return std::nullopt;
        std::vector<double> v(bytes / sizeof(double));
        if (bytes) std::memcpy(v.data(), sqlite3_column_blob(st_, col), bytes);
        return v;
    }
    int type(int col) { return sqlite3_column_type(st_, col); }
    std::int64_t integer(int col) { return sqlite3_column_int64(st_, col); }
    double real(int col) { return sqlite3_column_double(st_, col); }
    std::string text(int col) {
        const unsigned char* t = sqlite3_column_text(st_, col);
        return t ? reinterpret_cast<const char*>(t) : "";
    }

  private:
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
};

// Runs `body` in one write transaction: all of it is committed, or none.
template <class Body>
void transaction(sqlite3* db, Body body) {
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
        throw failure(db);
    try {
        body();
        if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) throw failure(db);
    } catch (...) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

/// A table of a store: its name, how it is created, and its columns as PRAGMA table_info
/// describes them (name, declared type, NOT NULL, position in the primary key).
struct Table {
    const char* name;
    const char* create;
    std::vector<std::string> columns;
};

/// The metadata table every store has first (key, value).
inline Table meta_table() {
    return {"meta",
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            {"key TEXT (key 1)", "value TEXT NOT NULL"}};
}

/// What a store holds, for its messages: "sweep", and what its definition is made of.
struct Kind {
    std::string noun;     ///< "sweep"
    std::string sources;  ///< "the sweep file, its scenario or kaisim"
};

/// A store's database file. Opens or creates `path`. A new database gets `schema` and records
/// `definition`. An existing one is only reopened with `resume`, and only when it passes
/// SQLite's integrity check, has exactly the tables and columns of `schema` and records the
/// same definition; else InputError naming the file, what is wrong and how to proceed. WAL mode.
class File {
  public:
    File(const std::string& path, const std::string& definition, bool resume,
         const std::vector<Table>& schema, Kind kind);
    ~File();
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    sqlite3* db() const { return db_; }
    const std::string& path() const { return path_; }
    std::optional<std::string> meta(const std::string& key) const;
    void set_meta(const std::string& key, const std::string& value);
    void exec(const char* sql) const;
    /// A refusal to resume a database that is not what this kaisim wrote (user input: exit 2).
    InputError refusal(const std::string& what) const;

  private:
    void open(const std::string& definition, bool resume);
    void check_resumable(const std::string& definition);
    sqlite3* db_ = nullptr;
    std::string path_;
    std::vector<Table> schema_;
    Kind kind_;
};

/// `parts` joined by `sep`.
std::string join(const std::vector<std::string>& parts, const std::string& sep);

}  // namespace kaisim::io::sqlite
