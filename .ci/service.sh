# Sourced by run.sh and the bench scripts: the service as a deployment runs it, published ahead of time (ReadyToRun,
# ADR 0017), so a fresh process does not spend its first seconds in the JIT compiler. service_publish builds it into
# $service_dir; "$service" runs it, reading its settings files from beside it.
service_dir="$PWD/src/Host/OrderStream.Host/bin/Release/service"
service="$service_dir/OrderStream.Host"
export ASPNETCORE_CONTENTROOT="$service_dir"
service_publish() {
  dotnet publish src/Host/OrderStream.Host -c Release --use-current-runtime --self-contained false -v quiet -nologo -o "$service_dir"
}
