#pragma once

// What a benchmark reads about its own process and the processes it started: CPU time and
// /proc/self/status fields.

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <sys/types.h>

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

/// CPU seconds process `pid` has used so far, every thread (its CPU-time clock, in
/// nanoseconds, where /proc/PID/stat counts 10 ms ticks); 0 when it cannot be read.
inline double cpu_seconds_of(pid_t pid) {
  clockid_t clock{};
  timespec t{};
  if (pid <= 0 || clock_getcpuclockid(pid, &clock) != 0 || clock_gettime(clock, &t) != 0)
    return 0;
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
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
