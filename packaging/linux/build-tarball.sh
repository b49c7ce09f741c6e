#!/usr/bin/env bash
# Build a self-contained Linux folder and pack it with an install script (run on Linux).
#   bash packaging/linux/build-tarball.sh  -> dist/ca-desktop-<version>-linux-x86_64.tar.gz
# Unpack anywhere and run ./install.sh: it links the program into ~/.local and registers the
# desktop entry, the icon and the .cabundle file type for the current user (no root needed).
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(python3 -c "import ca_desktop; print(ca_desktop.__version__)")
python3 -m PyInstaller packaging/pyinstaller/ca-desktop.spec --noconfirm
stage="dist/ca-desktop-$version"
rm -rf "$stage" && mkdir -p "$stage"
cp -r "dist/CA Desktop" "$stage/app"
cp packaging/linux/ca-desktop.desktop packaging/linux/ca-desktop-mime.xml "$stage/"
cp resources/icons/app.svg "$stage/ca-desktop.svg" 2>/dev/null || true
cat > "$stage/install.sh" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p ~/.local/bin ~/.local/share/applications ~/.local/share/icons/hicolor/scalable/apps ~/.local/share/mime/packages
ln -sf "$here/app/ca-desktop" ~/.local/bin/ca-desktop
ln -sf "$here/app/ca-desktop-cli" ~/.local/bin/ca-desktop-cli
cp "$here/ca-desktop.desktop" ~/.local/share/applications/
[ -f "$here/ca-desktop.svg" ] && cp "$here/ca-desktop.svg" ~/.local/share/icons/hicolor/scalable/apps/
cp "$here/ca-desktop-mime.xml" ~/.local/share/mime/packages/
update-mime-database ~/.local/share/mime 2>/dev/null || true
update-desktop-database ~/.local/share/applications 2>/dev/null || true
echo "CA Desktop installed for $(whoami). Start it from the menu or with: ca-desktop"
SH
chmod +x "$stage/install.sh"
tar -C dist -czf "dist/ca-desktop-$version-linux-$(uname -m).tar.gz" "ca-desktop-$version"
echo "dist/ca-desktop-$version-linux-$(uname -m).tar.gz"
