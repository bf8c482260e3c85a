#include "service/http/static_files.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace opinia::http {

StaticFiles::StaticFiles(const std::vector<EmbeddedFile>& files) {
  for (const EmbeddedFile& file : files) {
    by_name_.emplace(std::string(file.name), file);
  }
}

bool StaticFiles::Serves(absl::string_view path) {
  return path == "/" || absl::StartsWith(path, "/assets/");
}

const EmbeddedFile* StaticFiles::ForPath(absl::string_view path) const {
  absl::string_view name;
  if (path == "/") {
    name = "index.html";
  } else if (absl::ConsumePrefix(&path, "/assets/")) {
    name = path;
  } else {
    return nullptr;
  }
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second;
}

std::string StaticFiles::ContentType(absl::string_view name) {
  static constexpr std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".mp3", "audio/mpeg"},
      {".ogg", "audio/ogg"},
      {".wav", "audio/wav"},
      {".txt", "text/plain; charset=utf-8"},
  };
  const std::string lower = absl::AsciiStrToLower(name);
  for (const auto& [extension, type] : kTypes) {
    if (absl::EndsWith(lower, extension)) return type;
  }
  return "application/octet-stream";
}

}  // namespace opinia::http
