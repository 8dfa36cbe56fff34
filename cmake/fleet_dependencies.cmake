# Every third-party dependency is a Debian 12 package (scripts/install-deps.sh installs them).
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.11 CONFIG REQUIRED)
find_package(spdlog 1.10 CONFIG REQUIRED)
find_package(CURL REQUIRED)
find_package(RocksDB 7.8 CONFIG REQUIRED)

if(FLEET_BUILD_TESTS)
  find_package(Catch2 2 CONFIG REQUIRED)
  include(Catch)
endif()

# Boost (headers only): Beast on Asio serves the coordinator's HTTP API from a few event loops
# (a thread per connection, as cpp-httplib serves, cannot reach the API's throughput target),
# and Boost.URL decodes request targets.
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS headers)

# cpp-httplib (the fake panel's HTTP serving, HTTP clients in tests and fleetctl): Debian ships a compiled library with a pkg-config file whose
# flags (OpenSSL, zlib, brotli support) must match the library's, so use them as they are.
find_package(PkgConfig REQUIRED)
pkg_check_modules(httplib REQUIRED IMPORTED_TARGET cpp-httplib)

# OpenSSL's libcrypto: SHA-256 and constant-time comparison for API tokens and idempotency
# keys (cpp-httplib and libcurl link it already).
find_package(OpenSSL REQUIRED)
