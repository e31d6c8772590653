<?php
// SimpleSAMLphp (Debian's `simplesamlphp`) as the SAML identity provider of devtrack's tests,
// served by `php -S`. tests/sso/conftest.py sets the variables read here.
$here = dirname(__DIR__);
$tmp = getenv('DEVTRACK_TEST_IDP_TMP');
$config = [
    'baseurlpath' => getenv('DEVTRACK_TEST_IDP_URL') . '/',
    'certdir' => $here . '/cert/',
    'metadatadir' => $here . '/metadata/',
    'loggingdir' => $tmp,
    'datadir' => $tmp,
    'tempdir' => $tmp,
    'secretsalt' => 'devtrack-test-only-salt',
    'auth.adminpassword' => 'devtrack-test-only-admin',
    'technicalcontact_name' => 'devtrack tests',
    'technicalcontact_email' => 'devtrack@localhost',
    'timezone' => 'UTC',
    'enable.saml20-idp' => true,
    'enable.shib13-idp' => false,
    'admin.checkforupdates' => false,
    // Where the IdP-initiated logout may send the browser back to: devtrack's addresses.
    'trusted.url.domains' => array_map(
        fn ($url) => parse_url($url, PHP_URL_HOST) . ':' . parse_url($url, PHP_URL_PORT),
        [getenv('DEVTRACK_TEST_SP_URL'), getenv('DEVTRACK_TEST_SP_ENCRYPTED_URL')]
    ),
    'showerrors' => true,
    'errorreporting' => false,
    'logging.level' => SimpleSAML\Logger::WARNING,
    'logging.handler' => 'errorlog',
    'store.type' => 'phpsession',
    'session.phpsession.savepath' => $tmp,
    'session.cookie.secure' => false,
    'session.cookie.samesite' => null,
    'language.cookie.secure' => false,
    'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],
];
