#!/usr/bin/env bash
# Installs a built Voltkeep runtime on a device (or into an image's root file system):
# the runtime, its users and groups, the device directory with owners and modes, the
# systemd unit and the udev rule. Safe to run again: it converges, and says what it
# changed. See runtime-config/README.md, "On a device".
set -euo pipefail

usage() {
  cat <<'EOF'
usage: runtime-config/install.sh [--root DIR] [--prefix DIR] [--device-dir DIR] [--from DIR]
                                 [--enable] [--dry-run] [--help]

Installs the runtime built in this source tree (mvn package) so that systemd runs it
with each domain as a Unix user of its own:

  runtime       PREFIX/bin/voltkeep, PREFIX/launcher/target/ (launcher, libraries,
                bundles), PREFIX/runtime-config/; owned by root, read-only for others
  users         voltkeep (launcher), voltkeep-safety, voltkeep-app, group voltkeep-hw
                (/etc/sysusers.d/voltkeep.conf, applied with systemd-sysusers)
  device dir    DEVICE with the owner, group and mode of each part
                (/etc/tmpfiles.d/voltkeep.conf, applied with systemd-tmpfiles)
  unit          /etc/systemd/system/voltkeep.service
  udev rule     /etc/udev/rules.d/60-voltkeep.rules: GPIO, PWM, watchdog, I2C and SPI
                devices for voltkeep-hw (the safety user) only

It neither provisions the device nor starts the service; it prints those steps.

  --root DIR        install into DIR as a root file system (an image being staged):
                    every path below is inside DIR, users go into DIR/etc/passwd and
                    DIR/etc/group, owners are DIR's ids; nothing outside DIR changes,
                    no service or udev reload (default /)
  --prefix DIR      where the runtime goes, as the device sees it (default /opt/voltkeep)
  --device-dir DIR  the device directory, as the device sees it (default /var/lib/voltkeep);
                    not under /home, /root, /run/user, /tmp or /var/tmp, which the
                    unit hides from the service
  --from DIR        the built source tree to install from (default: the tree holding
                    this script)
  --enable          also enable voltkeep.service (systemctl enable; --root too)
  --dry-run         print every action and change nothing (no root needed)
  --help            this text

Needs root (unless --dry-run), systemd-sysusers and systemd-tmpfiles (Debian package
systemd). Exit codes: 0 done, 1 an action failed, 2 bad command line or input.
EOF
}

die() { printf 'install.sh: %s\n' "$*" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root=/
prefix=/opt/voltkeep
device=/var/lib/voltkeep
from="$(dirname "$here")"
enable=0
dry=0
while (($#)); do
  case "$1" in
    --root|--prefix|--device-dir|--from)
      (($# >= 2)) || die "$1 needs a value"
      case "$1" in
        --root) root="$2" ;;
        --prefix) prefix="$2" ;;
        --device-dir) device="$2" ;;
        --from) from="$2" ;;
      esac
      shift 2 ;;
    --root=*) root="${1#*=}"; shift ;;
    --prefix=*) prefix="${1#*=}"; shift ;;
    --device-dir=*) device="${1#*=}"; shift ;;
    --from=*) from="${1#*=}"; shift ;;
    --enable) enable=1; shift ;;
    --dry-run) dry=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

# Paths go into unit files and sed expressions: plain absolute paths only.
plain_path() { # name value
  [[ "$2" == /* ]] || die "$1 must be an absolute path, not '$2'"
  [[ "$2" =~ ^[A-Za-z0-9._/+-]+$ ]] || die "$1 '$2' has characters other than letters, digits and ._/+-"
  [[ "/$2/" != *"/../"* && "/$2/" != *"/./"* ]] || die "$1 '$2' has . or .. in it"
}
plain_path --root "$root"
plain_path --prefix "$prefix"
plain_path --device-dir "$device"
root="${root%/}"; prefix="${prefix%/}"; device="${device%/}"
[[ -n "$prefix" ]] || die "--prefix cannot be /"
[[ -n "$device" ]] || die "--device-dir cannot be /"
for hidden in /home /root /run/user /tmp /var/tmp; do
  for p in "$prefix" "$device"; do
    [[ "$p" != "$hidden" && "$p" != "$hidden"/* ]] \
      || die "'$p' is under $hidden, which voltkeep.service hides from the service (ProtectHome=, PrivateTmp=)"
  done
done
case "$device/" in "$prefix"/*) die "--device-dir '$device' is inside --prefix '$prefix', which is read-only for the service" ;; esac
case "$prefix/" in "$device"/*) die "--prefix '$prefix' is inside --device-dir '$device'" ;; esac
[[ -z "$root" || -d "$root" ]] || die "--root '$root' is not a directory"

jar="$from/launcher/target/voltkeep-launcher.jar"
for f in "$jar" "$from/launcher/target/lib" "$from/launcher/target/bundles" "$from/runtime-config/config"; do
  [[ -e "$f" ]] || die "no built runtime in $from: $f is missing (build it first: mvn -q -B package -DskipTests)"
done
for f in systemd/voltkeep.service systemd/voltkeep.sysusers systemd/voltkeep.tmpfiles udev/60-voltkeep.rules; do
  [[ -f "$here/$f" ]] || die "$here/$f is missing"
done

if ((!dry)); then
  [[ $(id -u) -eq 0 ]] || die "must run as root to create users and set owners (or use --dry-run to see the plan)"
  for tool in systemd-sysusers systemd-tmpfiles; do
    command -v "$tool" >/dev/null || die "$tool is missing (Debian package systemd)"
  done
fi

at() { printf '%s%s' "$root" "$1"; }   # a device path, inside --root
changed=0

# Every action is printed before it runs ("+ ..."); --dry-run prints and stops there.
act() {
  printf '+ %s\n' "$*"
  ((dry)) || "$@"
}

# Writes stdin to a file (root-owned, MODE) unless it already holds exactly that; shows the text.
put_text() { # target mode
  local target="$1" mode="$2" tmp
  tmp="$(mktemp)"
  cat >"$tmp"
  if same "$tmp" "$target" "$mode"; then
    rm -f "$tmp"
    return
  fi
  printf '+ write %s (mode %s):\n' "$target" "$mode"
  sed 's/^/    | /' "$tmp"
  if ((!dry)); then
    install -D -o 0 -g 0 -m "$mode" "$tmp" "$target"
  fi
  rm -f "$tmp"
  changed=1
}

# Copies a file (root-owned, MODE) unless the target already is that file.
put_file() { # source target mode
  if same "$1" "$2" "$3"; then
    return
  fi
  act install -D -o 0 -g 0 -m "$3" "$1" "$2"
  changed=1
}

same() { # new target mode
  if [[ -f "$2" ]] && cmp -s "$1" "$2" && [[ "$(stat -c %a "$2")" == "${3#0}" ]]; then
    printf '= %s (unchanged)\n' "$2"
    return 0
  fi
  return 1
}

# Copies a directory tree of the runtime, replacing what was there, unless identical.
put_tree() { # source target
  local src="$1" target="$2"
  if [[ -d "$target" ]] && diff -r -q "$src" "$target" >/dev/null 2>&1; then
    printf '= %s (unchanged)\n' "$target"
    return
  fi
  act rm -rf "$target.new"
  act mkdir -p "$(dirname "$target")"
  act cp -R "$src" "$target.new"
  act chown -R 0:0 "$target.new"
  act chmod -R u=rwX,go=rX "$target.new"
  act rm -rf "$target"
  act mv "$target.new" "$target"
  changed=1
}

paths() { # the shipped files name the default prefix and device directory
  sed -e "s#/opt/voltkeep#$prefix#g" -e "s#/var/lib/voltkeep#$device#g"
}

echo "installing Voltkeep from $from: root ${root:-/}, prefix $prefix, device directory $device$( ((dry)) && echo ', dry run: nothing changes')"

# 1. The runtime, as Installation.locate() expects it under voltkeep.home.
put_tree "$from/launcher/target/lib" "$(at "$prefix")/launcher/target/lib"
put_tree "$from/launcher/target/bundles" "$(at "$prefix")/launcher/target/bundles"
put_file "$jar" "$(at "$prefix")/launcher/target/voltkeep-launcher.jar" 0644
put_tree "$from/runtime-config" "$(at "$prefix")/runtime-config"
put_text "$(at "$prefix")/bin/voltkeep" 0755 <<EOF
#!/bin/sh
# The voltkeep command line of the runtime installed in $prefix (runtime-config/install.sh).
exec java -Dvoltkeep.home=$prefix -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -XX:+UseSerialGC -Xmx96m \\
  -jar $prefix/launcher/target/voltkeep-launcher.jar "\$@"
EOF

# 2. Users and groups.
put_text "$(at /etc/sysusers.d/voltkeep.conf)" 0644 <"$here/systemd/voltkeep.sysusers"
act systemd-sysusers --root="${root:-/}" "$(at /etc/sysusers.d/voltkeep.conf)"

# 3. The device directory: owners and modes.
paths <"$here/systemd/voltkeep.tmpfiles" | put_text "$(at /etc/tmpfiles.d/voltkeep.conf)" 0644
act systemd-tmpfiles --create --root="${root:-/}" "$(at /etc/tmpfiles.d/voltkeep.conf)"

# 4. The unit and the udev rule.
paths <"$here/systemd/voltkeep.service" | put_text "$(at /etc/systemd/system/voltkeep.service)" 0644
put_text "$(at /etc/udev/rules.d/60-voltkeep.rules)" 0644 <"$here/udev/60-voltkeep.rules"

if [[ -z "$root" && -d /run/systemd/system ]]; then
  act systemctl daemon-reload
  if command -v udevadm >/dev/null; then
    act udevadm control --reload-rules
    act udevadm trigger --action=add --subsystem-match=gpio --subsystem-match=pwm --subsystem-match=watchdog \
      --subsystem-match=misc --subsystem-match=i2c-dev --subsystem-match=spidev
  fi
elif [[ -z "$root" ]]; then
  echo "  (systemd is not running here: no daemon-reload, no udev reload)"
fi
if ((enable)); then
  if [[ -n "$root" ]]; then
    act systemctl --root="$root" enable voltkeep.service
  else
    act systemctl enable voltkeep.service
  fi
fi

if ((dry)); then
  echo "dry run: nothing was changed"
elif ((changed)); then
  echo "installed"
else
  echo "installed (nothing changed: everything was in place)"
fi
cat <<EOF
next: provision the device as the launcher's user, then start the service:
  runuser -u voltkeep -- $prefix/bin/voltkeep provision --device $device --anchors ANCHORS.pem [--rot pkcs11 --pkcs11-config FILE]
  (install a signed image into slot a: runuser -u voltkeep -- $prefix/bin/voltkeep init --device $device --image IMAGE.vkimg)
  systemctl start voltkeep.service; $prefix/bin/voltkeep status --device $device
EOF
