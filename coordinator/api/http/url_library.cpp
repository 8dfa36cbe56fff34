// Compiles Boost.URL (header-only use: its sources are built into this one file).
#include <boost/url/src.hpp>
