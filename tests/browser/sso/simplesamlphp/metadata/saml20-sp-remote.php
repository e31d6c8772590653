<?php
// devtrack as the service provider, at the address the tests serve it at; the second one is
// the same devtrack configured on another address, to which every assertion goes encrypted.
$certificate = file_get_contents(dirname(__DIR__, 2) . '/keys/sp.crt');
$certData = preg_replace('/-----[A-Z ]+-----|\s+/', '', $certificate);
$sps = [
    getenv('DEVTRACK_TEST_SP_URL') => false,
    getenv('DEVTRACK_TEST_SP_ENCRYPTED_URL') => true,
];
foreach ($sps as $url => $encrypted) {
    $metadata[$url . '/saml/metadata'] = [
        'AssertionConsumerService' => [
            ['Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', 'Location' => $url . '/saml/acs'],
        ],
        'SingleLogoutService' => [
            ['Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', 'Location' => $url . '/saml/logout'],
        ],
        'certData' => $certData,
        'validate.authnrequest' => true,
        'validate.logout' => true,
        'sign.logout' => true,
        'assertion.encryption' => $encrypted,
        'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    ];
}
