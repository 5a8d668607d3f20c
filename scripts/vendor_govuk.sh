#!/usr/bin/env bash
# Vendors GOV.UK Frontend from npm into crates/web/assets/govuk/, so the build and the server
# never download anything. The Sass is compiled with a council font stack: the GDS Transport
# font and the crown belong to GOV.UK services only, and Redress runs on councils' own sites.
# Usage: bash scripts/vendor_govuk.sh   (needs node and npm; run again to update the version)
set -euo pipefail
version=6.6.0
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/crates/web/assets/govuk"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y > /dev/null
npm install --silent --no-audit --no-fund "govuk-frontend@$version" sass@1
cat > redress.scss <<'SCSS'
@use "node_modules/govuk-frontend/dist/govuk" as * with (
  $govuk-font-family: ("Helvetica Neue", Helvetica, Arial, sans-serif),
  $govuk-include-default-font-face: false,
  $govuk-assets-path: "/assets/govuk/"
);
SCSS
rm -rf "$out" && mkdir -p "$out/images"
npx sass --style=compressed --no-source-map --quiet-deps redress.scss "$out/govuk-frontend.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/"
cp node_modules/govuk-frontend/dist/govuk/assets/images/favicon.ico \
   node_modules/govuk-frontend/dist/govuk/assets/images/favicon.svg "$out/images/"
echo "GOV.UK Frontend is (c) Crown copyright, released under the MIT licence: https://github.com/alphagov/govuk-frontend" > "$out/LICENCE"
echo "govuk-frontend $version" > "$out/VERSION"
echo "vendored govuk-frontend $version into $out"
