#pragma once

// The files of the web dashboard (`/ui/`), compiled into the binary at build time from
// coordinator/ui/ and the Chart.js of Debian's libjs-chart.js (cmake/embed_assets.cmake), so
// the dashboard needs no network and no files next to the binary.

#include <string_view>
#include <vector>

namespace fleet {

/// One embedded file. Every view points into static storage.
struct ui_asset {
  /// The name under `/ui/` ("index.html", "app.js", ...).
  std::string_view name;
  std::string_view content_type;
  std::string_view body;
  /// A strong ETag (quoted) derived from the content.
  std::string_view etag;
};

/// Every embedded file, in the order the build listed them.
[[nodiscard]] const std::vector<ui_asset>& ui_assets();

} // namespace fleet
