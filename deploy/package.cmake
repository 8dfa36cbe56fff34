# The Debian package (`cpack -G DEB` in a build directory): the three programs (installed by
# their own folders), the systemd units, example configs in /etc/xui-fleet (conffiles), the
# Grafana dashboard and Prometheus rules. fake-xui, tests and benchmarks are not installed.
#
# The package's absolute paths (/etc, /lib/systemd) are meant for CPack's staging tree; a
# plain `cmake --install` writes them on this machine.

set(FLEET_DEPLOY_DIR ${CMAKE_CURRENT_LIST_DIR})

install(FILES ${FLEET_DEPLOY_DIR}/systemd/xui-fleet-coordinator.service
              ${FLEET_DEPLOY_DIR}/systemd/xui-fleet-agent.service
        DESTINATION /lib/systemd/system
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
# Configs may carry panel passwords once edited: root writes them, group xui-fleet (set by
# postinst with dpkg-statoverride) reads them.
install(FILES ${FLEET_DEPLOY_DIR}/etc/coordinator.json ${FLEET_DEPLOY_DIR}/etc/coordinator.env
              ${FLEET_DEPLOY_DIR}/etc/agent.json ${FLEET_DEPLOY_DIR}/etc/agent.env
        DESTINATION /etc/xui-fleet
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${FLEET_DEPLOY_DIR}/grafana/xui-fleet-dashboard.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/xui-fleet/grafana)
install(FILES ${FLEET_DEPLOY_DIR}/prometheus/xui-fleet-alerts.yml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/xui-fleet/prometheus)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/make-certs.sh
        DESTINATION ${CMAKE_INSTALL_DATADIR}/xui-fleet)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/xui-fleet)

set(FLEET_PACKAGE_MAINTAINER "xui-fleet maintainers <maintainers@xui-fleet.invalid>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME xui-fleet)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${FLEET_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "coordinator and agent for a fleet of 3X-UI panels")
# The long description; CPack puts the summary above it and indents it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "fleet-coordinator health-checks a fleet of 3X-UI panels, places new VPN clients on the
best panel, keeps the fleet's state in RocksDB, serves an HTTP API for bots, fleet
subscriptions and Prometheus metrics, and evacuates clients from dead panels.
fleet-agent probes panels on private networks for a remote coordinator over mutual TLS.
fleetctl is the command-line client of the coordinator's API.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# dpkg-shlibdeps derives the Debian 12 runtime libraries (CAF, RocksDB, spdlog, fmt, libcurl,
# OpenSSL, cpp-httplib) from the binaries; postinst needs adduser, and the
# coordinator unit's ExecReload needs /bin/kill (procps).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, procps")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${FLEET_DEPLOY_DIR}/debian/conffiles ${FLEET_DEPLOY_DIR}/debian/postinst
    ${FLEET_DEPLOY_DIR}/debian/prerm ${FLEET_DEPLOY_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
