// The Catch2 main of every test binary; kept in its own translation unit because it is slow
// to compile and never changes.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
