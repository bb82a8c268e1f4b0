/* eslint-disable no-console */
// Builds the add-in: the shared-runtime page (pane + custom functions), functions.json from
// the functions' JSDoc, the workbench (the pane over an in-memory Excel), and the manifest.
const path = require("path");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const CustomFunctionsMetadataPlugin = require("custom-functions-metadata-plugin");

const { addinUrl, rewriteManifest } = require("./scripts/manifest-urls");

const PORT = Number(process.env.PORT || 3000);
const OFFICE_JS = path.dirname(require.resolve("@microsoft/office-js/dist/office.js"));

/** HTTPS for the dev server: Office's trusted dev certificate where it is installed, else the dev server's own. */
async function httpsServer() {
  if (process.platform === "win32" || process.platform === "darwin") {
    try {
      const devCerts = require("office-addin-dev-certs");
      return { type: "https", options: await devCerts.getHttpsServerOptions() };
    } catch (e) {
      console.warn(`office-addin-dev-certs unavailable (${e.message}); using a self-signed certificate.`);
    }
  }
  return { type: "https" }; // webpack-dev-server generates a self-signed certificate
}

module.exports = async (env, argv) => {
  const dev = argv.mode !== "production";
  const target = addinUrl(process.env.ADDIN_URL);
  return {
    devtool: dev ? "source-map" : false,
    entry: {
      functions: "./src/functions/functions.ts",
      taskpane: "./src/taskpane/index.ts",
      workbench: "./src/workbench/index.ts",
      // The workbench's big Register (`cards=`) is written in this worker (src/workbench/setup-worker.ts).
      "workbench-setup": "./src/workbench/setup-worker.ts",
    },
    output: { path: path.resolve(__dirname, "dist"), filename: "[name].js", clean: true },
    // The .xlsx adapter imports fs and path for files on disk; the workbench only uses its buffer methods.
    resolve: { extensions: [".ts", ".js"], fallback: { fs: false, path: false, zlib: false } },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          loader: "ts-loader",
          options: { configFile: "tsconfig.json", compilerOptions: { module: "es2020", sourceMap: dev } },
        },
      ],
    },
    performance: { hints: false },
    plugins: [
      new CustomFunctionsMetadataPlugin({ output: "functions.json", input: "./src/functions/functions.ts" }),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        chunks: ["functions", "taskpane"],
        chunksSortMode: "manual",
        // Office loads office.js from Microsoft's CDN in production; the dev server serves the
        // copy in the @microsoft/office-js package so that nothing is fetched from the internet.
        templateParameters: { officeJs: dev ? "office-js/office.js" : "https://appsforoffice.microsoft.com/lib/1/hosted/office.js" },
      }),
      new HtmlWebpackPlugin({ filename: "workbench.html", template: "./src/workbench/workbench.html", chunks: ["workbench"] }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "assets/[name][ext]" },
          { from: "src/taskpane/help.html", to: "help.html" },
          { from: "manifest.xml", to: "manifest.xml", transform: (content) => rewriteManifest(content, target) },
        ],
      }),
    ],
    devServer: {
      port: PORT,
      server: await httpsServer(),
      headers: { "Access-Control-Allow-Origin": "*" },
      static: [{ directory: OFFICE_JS, publicPath: "/office-js" }],
      client: { overlay: { warnings: false, errors: true } },
      onListening(server) {
        const { port } = server.server.address();
        console.log(
          `\n  Planning Desk workbench: https://localhost:${port}/workbench.html\n  Add-in pane (in Excel): https://localhost:${port}/taskpane.html\n`,
        );
      },
    },
  };
};
