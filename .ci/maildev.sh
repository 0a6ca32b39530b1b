# Source this file: maildev_start starts MailDev (a real SMTP server with a web page and REST API to read what arrived)
# on free loopback ports, installing it with npm into tools/maildev the first time, and exports MAIL_SMTP_PORT and
# MAILDEV_URL; maildev_stop stops it.
maildev_start() {
  local here; here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; }
  [ -x "$here/tools/maildev/node_modules/.bin/maildev" ] || (cd "$here/tools/maildev" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  local p
  for p in $(seq 1025 1124); do (: <>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { MAIL_SMTP_PORT=$p; break; }; done
  for p in $(seq 1080 1179); do (: <>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { MAILDEV_WEB_PORT=$p; break; }; done
  "$here/tools/maildev/node_modules/.bin/maildev" --ip 127.0.0.1 --smtp "$MAIL_SMTP_PORT" --web "$MAILDEV_WEB_PORT" --silent >/dev/null 2>&1 &
  MAILDEV_PID=$!
  export MAIL_SMTP_PORT MAILDEV_URL="http://127.0.0.1:$MAILDEV_WEB_PORT" MAILDEV_PID
  for _ in $(seq 1 60); do curl -sf "$MAILDEV_URL/email" >/dev/null && return 0; sleep 0.5; done
  echo "MailDev did not start" >&2; return 1
}

maildev_stop() { [ -n "${MAILDEV_PID:-}" ] && kill "$MAILDEV_PID" 2>/dev/null; true; }
