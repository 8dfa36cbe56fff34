#pragma once

// What a benchmark reads about its own process: CPU time and /proc/self/status fields.

#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/resource.h>

namespace fleet::bench {

/// User plus system CPU seconds of this process so far (every thread).
inline double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

/// The number in a field of /proc/self/status ("Threads", "VmRSS" in kB, ...); -1 if absent.
inline double proc_status(const std::string& field) {
  std::ifstream in{"/proc/self/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ":", 0) == 0)
      return std::atof(line.c_str() + field.size() + 1);
  return -1;
}

} // namespace fleet::bench
