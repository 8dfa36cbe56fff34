#pragma once

#include <filesystem>
#include <random>
#include <string>

namespace fleet::test {

/// A fresh directory below the system temp dir, removed with everything in it on destruction.
class temp_dir {
public:
  temp_dir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("fleet-test-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }

  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  [[nodiscard]] std::string str() const { return path_.string(); }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

} // namespace fleet::test
