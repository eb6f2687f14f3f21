#!/usr/bin/env bash
# Renders the application icons from source.svg (needs librsvg2-bin and imagemagick, python3).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in 16 24 32 48 64 128 256 512 1024; do rsvg-convert -w "$s" -h "$s" source.svg -o "$tmp/$s.png"; done
cp "$tmp/32.png" 32x32.png
cp "$tmp/128.png" 128x128.png
cp "$tmp/256.png" 128x128@2x.png
cp "$tmp/512.png" icon.png
/usr/bin/convert "$tmp/16.png" "$tmp/24.png" "$tmp/32.png" "$tmp/48.png" "$tmp/64.png" "$tmp/256.png" icon.ico
python3 - "$tmp" <<'PY'
import struct, sys
tmp = sys.argv[1]
kinds = [(b'icp4', 16), (b'icp5', 32), (b'icp6', 64), (b'ic07', 128), (b'ic08', 256), (b'ic09', 512), (b'ic10', 1024)]
body = b''
for kind, size in kinds:
    data = open(f'{tmp}/{size}.png', 'rb').read()
    body += kind + struct.pack('>I', len(data) + 8) + data
open('icon.icns', 'wb').write(b'icns' + struct.pack('>I', len(body) + 8) + body)
PY
