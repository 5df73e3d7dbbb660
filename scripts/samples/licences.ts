/**
 * Licences for the sample SBOMs, as SPDX identifiers or expressions.
 *
 * The well-known packages carry their real licence. For the long tail the
 * licence is a plausible one picked by rule or, failing that, from a fixed
 * per-ecosystem pool by a hash of the name: the sample estate is demo data,
 * and the README says so.
 */
import { hashToUnit } from './prng.ts';

export type Ecosystem = 'deb' | 'pypi' | 'npm' | 'maven' | 'golang' | 'generic';

/** One licence id, several ids (as syft lists a Debian copyright file), or one expression. */
export type Licence = { ids: string[] } | { expression: string };

const GCC = 'GPL-3.0-or-later WITH GCC-exception-3.1';

/** Debian: first matching rule wins. */
const DEB_RULES: [RegExp, string[] | string][] = [
  [/^(gcc-12-base|libgcc|libstdc\+\+|libgomp|libgfortran|libquadmath|libatomic|libasan|liblsan|libtsan|libubsan|libitm|libcc1|cpp|gcc|g\+\+|gfortran)/, GCC],
  [/^(libc6|libc-|locales|libc-bin)/, ['LGPL-2.1-or-later', 'GPL-2.0-or-later']],
  [/^(bash|coreutils|tar|grep|sed|findutils|diffutils|gzip|gnupg|gpg|gpgv|dirmngr|readline-common|libreadline|libgdbm|nano|wget|gettext|make|patch|bc|ed|time)/, ['GPL-3.0-or-later']],
  [/^(util-linux|libblkid|libmount|libsmartcols|libuuid|bsdutils|mount|libfdisk|bsdextrautils)/, ['GPL-2.0-or-later', 'LGPL-2.1-or-later', 'BSD-3-Clause']],
  [/^(e2fsprogs|libext2fs|libcom-err|libss2|logsave)/, ['GPL-2.0-only', 'LGPL-2.0-only', 'MIT']],
  [/^(libsystemd|libudev|systemd|libnss-systemd|libpam-systemd)/, ['LGPL-2.1-or-later']],
  [/^(apt|libapt|dpkg|debconf|adduser|debianutils|base-files|base-passwd|init-system-helpers|debian-archive-keyring|ucf|sensible-utils|netbase|usr-is-merged|sysvinit-utils|hostname|procps|libproc2|iproute2|git|libllvm)/, ['GPL-2.0-or-later']],
  [/^(libgcrypt|libgpg-error|libassuan|libksba|libnpth|libgnutls|libtasn1|libcrypt1|libaudit|libcap-ng|libacl|libattr|librtmp|libglib|libgraphite|libasound|libavahi|libkeyutils)/, ['LGPL-2.1-or-later']],
  [/^(libnettle|libhogweed)/, 'LGPL-3.0-or-later OR GPL-2.0-or-later'],
  [/^(libgmp|libidn2|libunistring)/, ['LGPL-3.0-or-later', 'GPL-2.0-or-later']],
  [/^(libssl|openssl)/, ['Apache-2.0']],
  [/^(curl|libcurl)/, ['curl']],
  [/^zlib/, ['Zlib']],
  [/^libzstd|^zstd/, ['BSD-3-Clause', 'GPL-2.0-only']],
  [/^liblz4|^lz4/, ['BSD-2-Clause', 'GPL-2.0-only']],
  [/^(libbz2|bzip2)/, ['bzip2-1.0.6']],
  [/^(liblzma|xz-utils)/, ['GPL-2.0-or-later', 'LGPL-2.1-or-later']],
  [/^libdb5/, ['Sleepycat']],
  [/^(ncurses|libtinfo|libncurses)/, ['X11']],
  [/^(libkrb5|libk5crypto|libgssapi-krb5|krb5)/, ['MIT']],
  [/^libldap/, ['OLDAP-2.8']],
  [/^(libsasl2|libssh2|libp11-kit|libpcre|libmd0|libcap2|dash|libbsd|libwebp|libsharpyuv|libevent|libopenblas|liblapack|libblas)/, ['BSD-3-Clause']],
  [/^(libpam|login|passwd)/, ['BSD-3-Clause', 'GPL-2.0-or-later']],
  [/^(libffi|libnghttp2|libpsl|libbrotli|libexpat|libxml2|libxslt|liblcms2|libharfbuzz|libdeflate|tini|libx|x11-|libxcb|libgl|libegl|libgbm|libdrm|libwayland|xauth)/, ['MIT']],
  [/^(libselinux|libsepol|libsemanage|libseccomp)/, ['LGPL-2.1-only']],
  [/^(ca-certificates)/, ['MPL-2.0', 'GPL-2.0-or-later']],
  [/^(libnss3|libnspr4)/, ['MPL-2.0']],
  [/^libsqlite3|^sqlite3/, ['blessing']],
  [/^(libpq|postgresql)/, ['PostgreSQL']],
  [/^libicu/, ['ICU']],
  [/^libjpeg/, ['IJG', 'BSD-3-Clause']],
  [/^libpng/, ['Libpng']],
  [/^libfreetype/, 'FTL OR GPL-2.0-or-later'],
  [/^libtiff/, ['libtiff']],
  [/^libgd3/, ['GD']],
  [/^(openjdk|ca-certificates-java|java-common)/, 'GPL-2.0-only WITH Classpath-exception-2.0'],
  [/^(perl|libperl|lib.*-perl$)/, ['Artistic-1.0-Perl', 'GPL-1.0-or-later']],
  [/^(python3|libpython3)/, ['PSF-2.0']],
  [/^fonts-dejavu/, ['Bitstream-Vera']],
  [/^fonts-/, ['OFL-1.1']],
  [/^(less)$/, 'GPL-3.0-or-later OR BSD-2-Clause'],
  [/^(nginx)/, ['BSD-2-Clause']],
  [/^(openssh)/, ['SSH-OpenSSH']],
  [/^(sudo|tmux)/, ['ISC']],
  [/^(vim|xxd)/, ['Vim']],
  [/^(zip|unzip)$/, ['Info-ZIP']],
  [/^(r-base|r-cran|r-recommended)/, ['GPL-2.0-or-later']],
  [/^(libdbus|dbus)/, 'AFL-2.1 OR GPL-2.0-or-later'],
  [/^(libcups)/, ['Apache-2.0']],
  [/^(libbpf)/, 'LGPL-2.1-only OR BSD-2-Clause'],
  [/^(libelf|libdw)/, 'GPL-2.0-or-later OR LGPL-3.0-or-later'],
  [/^(liblerc)/, ['Apache-2.0']],
  [/^(pandoc)/, ['GPL-2.0-or-later']],
  [/^(mawk|libjbig)/, ['GPL-2.0-only']],
];

const PYPI_KNOWN: Record<string, string> = {
  numpy: 'BSD-3-Clause', pandas: 'BSD-3-Clause', scipy: 'BSD-3-Clause', 'scikit-learn': 'BSD-3-Clause',
  matplotlib: 'PSF-2.0', requests: 'Apache-2.0', urllib3: 'MIT', certifi: 'MPL-2.0', idna: 'BSD-3-Clause',
  'charset-normalizer': 'MIT', pydantic: 'MIT', 'pydantic-core': 'MIT', fastapi: 'MIT', starlette: 'BSD-3-Clause',
  uvicorn: 'BSD-3-Clause', httpx: 'BSD-3-Clause', httpcore: 'BSD-3-Clause', anyio: 'MIT', sniffio: 'MIT OR Apache-2.0',
  h11: 'MIT', click: 'BSD-3-Clause', jinja2: 'BSD-3-Clause', markupsafe: 'BSD-3-Clause', flask: 'BSD-3-Clause',
  werkzeug: 'BSD-3-Clause', itsdangerous: 'BSD-3-Clause', sqlalchemy: 'MIT', alembic: 'MIT', mako: 'MIT',
  pyyaml: 'MIT', six: 'MIT', 'python-dateutil': 'Apache-2.0 OR BSD-3-Clause', pytz: 'MIT', tzdata: 'Apache-2.0',
  packaging: 'Apache-2.0 OR BSD-2-Clause', setuptools: 'MIT', pip: 'MIT', wheel: 'MIT', attrs: 'MIT',
  protobuf: 'BSD-3-Clause', grpcio: 'Apache-2.0', cryptography: 'Apache-2.0 OR BSD-3-Clause', cffi: 'MIT',
  pycparser: 'BSD-3-Clause', torch: 'BSD-3-Clause', transformers: 'Apache-2.0', tokenizers: 'Apache-2.0',
  'huggingface-hub': 'Apache-2.0', safetensors: 'Apache-2.0', openai: 'Apache-2.0', anthropic: 'MIT',
  tiktoken: 'MIT', regex: 'Apache-2.0', tqdm: 'MPL-2.0 AND MIT', pillow: 'HPND', pyarrow: 'Apache-2.0',
  boto3: 'Apache-2.0', botocore: 'Apache-2.0', s3transfer: 'Apache-2.0', jmespath: 'MIT', mlflow: 'Apache-2.0',
  pyspark: 'Apache-2.0', py4j: 'BSD-3-Clause', ipython: 'BSD-3-Clause', tornado: 'Apache-2.0', pyzmq: 'BSD-3-Clause',
  psutil: 'BSD-3-Clause', 'psycopg2-binary': 'LGPL-3.0-or-later', psycopg: 'LGPL-3.0-only', redis: 'MIT',
  celery: 'BSD-3-Clause', kombu: 'BSD-3-Clause', kubernetes: 'Apache-2.0', 'google-auth': 'Apache-2.0',
  rsa: 'Apache-2.0', pyasn1: 'BSD-2-Clause', greenlet: 'MIT AND PSF-2.0', 'typing-extensions': 'PSF-2.0',
  networkx: 'BSD-3-Clause', sympy: 'BSD-3-Clause', mpmath: 'BSD-3-Clause', filelock: 'Unlicense',
  fsspec: 'BSD-3-Clause', joblib: 'BSD-3-Clause', lxml: 'BSD-3-Clause', beautifulsoup4: 'MIT', nltk: 'Apache-2.0',
  'faiss-cpu': 'MIT', pgvector: 'MIT', 'qdrant-client': 'Apache-2.0', tenacity: 'Apache-2.0', wrapt: 'BSD-2-Clause',
  deprecated: 'MIT', zipp: 'MIT', 'prometheus-client': 'Apache-2.0', orjson: 'Apache-2.0 OR MIT',
  websockets: 'BSD-3-Clause', dnspython: 'ISC', gunicorn: 'MIT', docker: 'Apache-2.0', gitpython: 'BSD-3-Clause',
  rich: 'MIT', pygments: 'BSD-2-Clause', jsonschema: 'MIT', pyjwt: 'MIT', aiohttp: 'Apache-2.0 AND MIT',
  decorator: 'BSD-2-Clause', jedi: 'MIT', pexpect: 'ISC', ptyprocess: 'ISC', paramiko: 'LGPL-2.1-or-later',
  bcrypt: 'Apache-2.0', pynacl: 'Apache-2.0', asyncpg: 'Apache-2.0', trino: 'Apache-2.0', pendulum: 'MIT',
  waitress: 'ZPL-2.1', defusedxml: 'PSF-2.0', 'email-validator': 'Unlicense', 'psycopg-binary': 'LGPL-3.0-only',
  'psycopg-pool': 'LGPL-3.0-only', msgpack: 'Apache-2.0', mcp: 'MIT', 'sentence-transformers': 'Apache-2.0',
};

const NPM_KNOWN: Record<string, string> = {
  typescript: 'Apache-2.0', rxjs: 'Apache-2.0', tslib: '0BSD', 'source-map': 'BSD-3-Clause',
  'source-map-js': 'BSD-3-Clause', esprima: 'BSD-2-Clause', 'uri-js': 'BSD-2-Clause', qs: 'BSD-3-Clause',
  'caniuse-lite': 'CC-BY-4.0', 'spdx-exceptions': 'CC-BY-3.0', 'spdx-license-ids': 'CC0-1.0',
  'spdx-correct': 'Apache-2.0', 'validate-npm-package-license': 'Apache-2.0', 'highlight.js': 'BSD-3-Clause',
  dompurify: 'MPL-2.0 OR Apache-2.0', jackspeak: 'BlueOak-1.0.0', 'path-scurry': 'BlueOak-1.0.0',
  'package-json-from-dist': 'BlueOak-1.0.0', npm: 'Artistic-2.0', sigstore: 'Apache-2.0', sharp: 'Apache-2.0',
  '@img/sharp-linux-x64': 'Apache-2.0', '@img/sharp-libvips-linux-x64': 'LGPL-3.0-or-later', 'detect-libc': 'Apache-2.0',
  '@opentelemetry/api': 'Apache-2.0', long: 'Apache-2.0', protobufjs: 'BSD-3-Clause', 'node-forge': 'BSD-3-Clause OR GPL-2.0-only',
  tweetnacl: 'Unlicense', argparse: 'Python-2.0', entities: 'BSD-2-Clause', domhandler: 'BSD-2-Clause',
  domutils: 'BSD-2-Clause', 'css-what': 'BSD-2-Clause', 'css-select': 'BSD-2-Clause', 'nth-check': 'BSD-2-Clause',
  terser: 'BSD-2-Clause', espree: 'BSD-2-Clause', estraverse: 'BSD-2-Clause', esutils: 'BSD-2-Clause',
  esrecurse: 'BSD-2-Clause', 'eslint-scope': 'BSD-2-Clause', esquery: 'BSD-3-Clause', doctrine: 'Apache-2.0',
  'eslint-visitor-keys': 'Apache-2.0', ieee754: 'BSD-3-Clause', 'robust-predicates': 'Unlicense', rw: 'BSD-3-Clause',
  'json-schema': 'AFL-2.1 OR BSD-3-Clause', 'mdn-data': 'CC0-1.0', 'language-subtag-registry': 'CC0-1.0',
};

const NPM_ISC = /^(glob|minimatch|lru-cache|semver|rimraf|yallist|inherits|once|wrappy|graceful-fs|which|isexe|signal-exit|fs-minipass|minipass.*|minizlib|npm-.*|libnpm.*|pacote|cacache|ssri|hosted-git-info|ini|json-parse-even-better-errors|abbrev|nopt|proc-log|read|mute-stream|chownr|tar|write-file-atomic|unique-filename|unique-slug|proggy|promzard|cliui|yargs-parser|y18n|fastq|electron-to-chromium|picocolors|anymatch|glob-parent|sax|foreground-child|flatted|boolbase|d3|d3-.*|internmap|delaunator|fs\.realpath|inflight|setprototypeof|aproba|console-control-strings|gauge|npmlog|are-we-there-yet|set-blocking|json-stringify-safe|ignore-walk|read-cmd-shim|cmd-shim|bin-links|treeverse|walk-up-path|parse-conflict-json|promise-all-reject-late|promise-call-limit|json-stringify-nice|init-package-json|validate-npm-package-name|normalize-package-data|err-code|ansi-colors)$/;

const NPM_SCOPES: [RegExp, string][] = [
  [/^@(jupyterlab|lumino|jupyter|jupyter-widgets)\//, 'BSD-3-Clause'],
  [/^@(npmcli|isaacs)\//, 'ISC'],
  [/^@(sigstore|grpc|aws-sdk|smithy|aws-crypto|google-cloud|humanwhocodes|humanfs)\//, 'Apache-2.0'],
  [/^@protobufjs\//, 'BSD-3-Clause'],
];

const MAVEN_GROUPS: [RegExp, string][] = [
  [/^org\.slf4j$|^org\.bouncycastle$|^org\.checkerframework$|^net\.razorvine$|^com\.azure$|^dev\.ludovic\.netlib$|^org\.typelevel$|^io\.airlift:(joni|jcodings)$|^org\.apfloat$/, 'MIT'],
  [/^org\.ow2\.asm$|^org\.antlr$|^com\.google\.protobuf$|^org\.jline$|^jline$|^org\.codehaus\.janino$|^com\.esotericsoftware$|^net\.sf\.py4j$|^net\.sourceforge\.f2j$|^jakarta\.(activation|xml\.bind)$/, 'BSD-3-Clause'],
  [/^org\.postgresql$|^com\.github\.luben$|^javolution$|^com\.github\.wendykierp$/, 'BSD-2-Clause'],
  [/^jakarta\.(ws\.rs|servlet|annotation)$|^org\.glassfish\./, 'EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0'],
  [/^org\.eclipse\.jetty|^io\.vertx$/, 'EPL-2.0 OR Apache-2.0'],
  [/^org\.hdrhistogram$/, 'CC0-1.0 OR BSD-2-Clause'],
  [/^org\.jgrapht$/, 'EPL-2.0 OR LGPL-2.1-or-later'],
  [/^org\.locationtech\.jts$/, 'EPL-2.0 OR BSD-3-Clause'],
  [/^org\.javassist$/, 'MPL-1.1 OR LGPL-2.1-or-later OR Apache-2.0'],
  [/^org\.reactivestreams$/, 'MIT-0'],
  [/^oro$/, 'Apache-1.1'],
];

const GO_MODULES: [RegExp, string][] = [
  [/^(golang\.org\/x\/|google\.golang\.org\/protobuf|github\.com\/google\/(uuid|go-cmp)|github\.com\/spf13\/pflag|github\.com\/gogo\/|github\.com\/munnerz\/|github\.com\/fsnotify\/|github\.com\/pmezard\/|gopkg\.in\/(inf|evanphx)|github\.com\/grpc-ecosystem\/|github\.com\/bahlo\/|github\.com\/yosida95\/|github\.com\/twitchyliquid64\/|stdlib$)/, 'BSD-3-Clause'],
  [/^(google\.golang\.org\/(grpc|genproto)|github\.com\/spf13\/(cobra|afero)|k8s\.io\/|sigs\.k8s\.io\/(json|structured|randfill)|github\.com\/trinodb\/|github\.com\/jcmturner\/|github\.com\/bytedance\/|github\.com\/cloudwego\/|github\.com\/modern-go\/|github\.com\/prometheus\/|github\.com\/go-logr\/|github\.com\/google\/gnostic|github\.com\/go-openapi\/|go\.opentelemetry\.io\/|github\.com\/aws\/|github\.com\/moby\/|github\.com\/inconshreveable\/|github\.com\/wk8\/|github\.com\/ahmetb\/)/, 'Apache-2.0'],
  [/^(github\.com\/hashicorp\/)/, 'MPL-2.0'],
  [/^(github\.com\/pkg\/errors)/, 'BSD-2-Clause'],
  [/^(github\.com\/davecgh\/)/, 'ISC'],
  [/^(gopkg\.in\/yaml\.v3)/, 'MIT AND Apache-2.0'],
];

const POOLS: Record<Ecosystem, string[]> = {
  deb: ['GPL-2.0-or-later', 'LGPL-2.1-or-later', 'MIT', 'BSD-3-Clause'],
  pypi: ['MIT', 'MIT', 'BSD-3-Clause', 'Apache-2.0', 'Apache-2.0', 'BSD-2-Clause'],
  npm: ['MIT'],
  maven: ['Apache-2.0'],
  golang: ['MIT', 'Apache-2.0', 'BSD-3-Clause'],
  generic: ['MIT'],
};

/** The licence syft would report for a package, real where known. */
export function licenceFor(ecosystem: Ecosystem, name: string): Licence {
  const known = knownLicence(ecosystem, name);
  if (known !== undefined) return typeof known === 'string' ? asLicence(known) : { ids: known };
  const pool = POOLS[ecosystem];
  return asLicence(pool[Math.floor(hashToUnit(`${ecosystem}:${name}`) * pool.length)] ?? 'MIT');
}

function knownLicence(ecosystem: Ecosystem, name: string): string | string[] | undefined {
  switch (ecosystem) {
    case 'deb':
      return DEB_RULES.find(([re]) => re.test(name))?.[1];
    case 'pypi':
      return PYPI_KNOWN[name] ?? (/^(apache-airflow|dbt-|opentelemetry-|google-|googleapis-)/.test(name) ? 'Apache-2.0'
        : /^(jupyter|nbconvert|nbformat|nbclient|ipykernel|ipywidgets|notebook|traitlets|comm$)/.test(name) ? 'BSD-3-Clause'
        : /^(langchain|langgraph|langsmith)/.test(name) ? 'MIT' : undefined);
    case 'npm':
      return NPM_KNOWN[name] ?? (NPM_ISC.test(name) ? 'ISC' : NPM_SCOPES.find(([re]) => re.test(name))?.[1]);
    case 'maven': {
      const [group = ''] = name.split(':');
      return MAVEN_GROUPS.find(([re]) => re.test(group) || re.test(name))?.[1];
    }
    case 'golang':
      return GO_MODULES.find(([re]) => re.test(name))?.[1];
    case 'generic':
      return undefined;
  }
}

/** "A OR B", "A AND B" and "A WITH e" become one expression; a bare id stays an id. */
function asLicence(spdx: string): Licence {
  return /\s(OR|AND|WITH)\s/.test(spdx) ? { expression: spdx } : { ids: [spdx] };
}
