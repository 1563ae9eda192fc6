#include "kaisim/io/atomic_output.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace kaisim::io {

AtomicOutputs::~AtomicOutputs() {
    for (const auto& [tmp, final_path] : pending_) std::remove(tmp.c_str());
}

std::string AtomicOutputs::stream(const std::string& path) {
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    pending_.emplace_back(tmp, path);
    return tmp;
}

void AtomicOutputs::add(const std::string& path, const std::string& content) {
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + tmp);
        out << content;
        out.flush();
        if (!out) throw std::runtime_error("error writing " + tmp);
    }
    pending_.emplace_back(tmp, path);
}

void AtomicOutputs::commit() {
    for (const auto& [tmp, final_path] : pending_) {
        std::error_code ec;
        std::filesystem::rename(tmp, final_path, ec);
        if (ec)
            throw std::runtime_error("cannot rename " + tmp + " to " + final_path + ": " +
                                     ec.message());
    }
    pending_.clear();
}

}  // namespace kaisim::io
