<?php
// The test accounts (tests/sso/users.json), with OIOSAML 3 attribute names, as KOMBIT's
// Context Handler would send them.
$users = json_decode(file_get_contents(dirname(__DIR__, 2) . '/users.json'), true);
$accounts = ['exampleauth:UserPass'];
foreach ($users as $login => $user) {
    if ($login[0] === '_') {
        continue;
    }
    $accounts[$login . ':' . $user['password']] = [
        'https://data.gov.dk/model/core/eid/email' => [$user['email']],
        'https://data.gov.dk/model/core/eid/fullName' => [$user['name']],
        'https://data.gov.dk/model/core/eid/professional/uuid/persistent' => [$user['employee_number']],
        'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups' => $user['groups'],
        'https://data.gov.dk/model/core/specVersion' => ['OIO-SAML-3.0'],
    ];
}
$config = [
    'admin' => ['core:AdminPassword'],
    'devtrack-users' => $accounts,
];
