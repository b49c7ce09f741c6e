#!/usr/bin/env bash
# Build "CA Desktop.app" and wrap it in a compressed disk image (run on macOS).
#   bash packaging/macos/build-dmg.sh   -> dist/CA-Desktop-<version>.dmg
# Signing and notarisation need the organisation's Apple Developer ID:
#   CODESIGN_ID="Developer ID Application: ..." bash packaging/macos/build-dmg.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(python3 -c "import ca_desktop; print(ca_desktop.__version__)")
python3 -m PyInstaller packaging/pyinstaller/ca-desktop.spec --noconfirm
if [ -n "${CODESIGN_ID:-}" ]; then
  codesign --deep --force --options runtime --sign "$CODESIGN_ID" "dist/CA Desktop.app"
fi
rm -f "dist/CA-Desktop-$version.dmg"
hdiutil create -volname "CA Desktop" -srcfolder "dist/CA Desktop.app" -ov -format UDZO \
  "dist/CA-Desktop-$version.dmg"
echo "dist/CA-Desktop-$version.dmg"
