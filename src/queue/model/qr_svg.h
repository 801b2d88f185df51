// QR codes as SVG (libqrencode), for the ticket machine: the code on the screen and on the
// printed receipt opens the phone's live status page of that ticket. Pure function (no I/O).
//
// The SVG is a square of `modules + 2 × quiet` units (viewBox in modules, quiet zone of 4
// modules, white background), dark modules drawn as one path of horizontal runs, with
// shape-rendering="crispEdges"; it contains no text from the input, so it is safe to show as
// an image. Error correction level M (15 %), 8-bit mode, the smallest version that fits.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sportello::queue {

inline constexpr int kQrQuietZone = 4;

struct QrCode {
  int version = 0;
  int modules = 0;                  // width in modules (21 for version 1, +4 per version)
  std::vector<std::vector<bool>> dark;  // [row][column]
  std::string svg;
};

// kInvalid when `text` is empty or too long for a QR code.
Result<QrCode> qrSvg(std::string_view text);

}  // namespace sportello::queue
