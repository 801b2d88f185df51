#include "queue/model/qr_svg.h"

#include <qrencode.h>

#include <memory>

namespace sportello::queue {

Result<QrCode> qrSvg(std::string_view text) {
  if (text.empty()) return makeError(Errc::kInvalid, "testo vuoto per il codice QR", "text");
  std::string s(text);
  if (s.find('\0') != std::string::npos) {
    return makeError(Errc::kInvalid, "testo non valido per il codice QR", "text");
  }
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeString8bit(s.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
  if (!code) return makeError(Errc::kInvalid, "testo troppo lungo per il codice QR", "text");
  QrCode q;
  q.version = code->version;
  q.modules = code->width;
  int n = code->width;
  q.dark.assign(n, std::vector<bool>(n, false));
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) q.dark[y][x] = (code->data[y * n + x] & 1) != 0;
  }
  int size = n + 2 * kQrQuietZone;
  std::string path;
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n;) {
      if (!q.dark[y][x]) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < n && q.dark[y][x + run]) ++run;
      path += "M" + std::to_string(x + kQrQuietZone) + " " + std::to_string(y + kQrQuietZone) +
              "h" + std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  std::string sz = std::to_string(size);
  q.svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + sz + " " + sz +
          "\" width=\"" + std::to_string(size * 4) + "\" height=\"" + std::to_string(size * 4) +
          "\" shape-rendering=\"crispEdges\"><rect width=\"" + sz + "\" height=\"" + sz +
          "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
  return q;
}

}  // namespace sportello::queue
