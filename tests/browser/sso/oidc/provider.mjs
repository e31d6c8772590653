// A real OpenID Connect provider (the certified `oidc-provider` package) for the SSO tests.
// Started by tests/sso/conftest.py: `node provider.mjs` with OIDC_ISSUER (its own address)
// and DEVTRACK_TEST_SP_URL (where devtrack runs). The client and the accounts come from files
// beside this one; it prints "ready" when it listens.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const read = (name) => JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8'));
const users = read('../users.json');
const client = read('client.json');
const issuer = process.env.OIDC_ISSUER;
const devtrack = process.env.DEVTRACK_TEST_SP_URL;

const configuration = {
  clients: [
    {
      ...client,
      redirect_uris: [`${devtrack}/oidc/callback`],
      post_logout_redirect_uris: [`${devtrack}/log-ind`],
    },
  ],
  pkce: { required: () => true },
  cookies: { keys: ['devtrack-test-only'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'employee_number', 'groups'],
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const user = users[id];
    if (!user || id.startsWith('_')) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: user.email,
          email_verified: true,
          name: user.name,
          employee_number: user.employee_number,
          groups: user.groups,
        };
      },
    };
  },
  // The test client is first-party: consent is given without asking.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'employee_number', 'groups']);
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);
const { port, hostname } = new URL(issuer);
provider.listen(Number(port), hostname, () => console.log('ready'));
