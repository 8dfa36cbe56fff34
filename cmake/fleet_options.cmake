# Compiler warnings and sanitizers, applied to our own targets through fleet_options.
add_library(fleet_options INTERFACE)

target_compile_options(fleet_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough -Wmisleading-indentation
  # GCC only (clang builds the fuzz targets).
  "$<$<CXX_COMPILER_ID:GNU>:-Wduplicated-cond;-Wduplicated-branches;-Wlogical-op>"
  -Wsuggest-override)

if(FLEET_WARNINGS_AS_ERRORS)
  target_compile_options(fleet_options INTERFACE -Werror)
endif()

if(FLEET_SANITIZERS)
  target_compile_options(fleet_options INTERFACE
    -fsanitize=${FLEET_SANITIZERS} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(fleet_options INTERFACE -fsanitize=${FLEET_SANITIZERS})
  # GCC warns that ThreadSanitizer does not model the fences Boost.Asio's handler invocation
  # uses (std_fenced_block); Asio's queues synchronise through mutexes, which it does model.
  if(FLEET_SANITIZERS MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(fleet_options INTERFACE -Wno-tsan)
  endif()
endif()

# Coverage feedback for libFuzzer in every library the fuzz targets link; the targets
# themselves link libFuzzer's main with -fsanitize=fuzzer (tests/fuzz).
if(FLEET_BUILD_FUZZ)
  target_compile_options(fleet_options INTERFACE -fsanitize=fuzzer-no-link)
endif()

target_include_directories(fleet_options INTERFACE ${PROJECT_SOURCE_DIR})
