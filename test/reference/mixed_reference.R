# Reference fits for analytics/stats/mixed.ts from R's nlme (random intercept, REML and ML).
#
#   Rscript test/reference/mixed_reference.R
#
# Reads the datasets and models that test/reference/mixed_reference.py wrote
# (test/fixtures/stats/mixed-data.csv, mixed-models.csv), fits
#   lme(y ~ columns, random = ~ 1 | school, method = "REML" / "ML")
# with tight control, and writes test/fixtures/stats/r-mixed.json by hand (R 4.2 here has no
# jsonlite), every number as sprintf("%.17g").
#
# nlme optimises log(sigma / sigma_u) (Pinheiro & Bates 2000, ch. 2) with nlminb; on the boundary
# (sigma_u = 0) that parameter runs off to +Inf and nlme stops wherever nlminb gives up, so
# `sigma2Between` there is a small positive number rather than 0.
#
# lme stops up to ~4e-6 (relative, in the variance ratio) short of the optimum on flat likelihoods, as nlminb works
# from finite-difference gradients. So each fit is run with three controls and the one with the
# highest log-likelihood kept, then polished: Newton steps on the intra-class correlation using
# nlme's own likelihood (gls with a fixed compound-symmetry correlation, the same marginal model),
# and kept when the likelihood does not fall. `source` says which. SEs are vcov(), i.e.
# sigma2 (X'V^-1X)^-1 at the estimates (not statsmodels' observed-information version).
# Both log-likelihoods (REML and ML) are on the same scale as statsmodels'.

suppressPackageStartupMessages(library(nlme))

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
root <- normalizePath(file.path(dirname(script), "..", ".."))
fixtures <- file.path(root, "test", "fixtures", "stats")

data <- read.csv(file.path(fixtures, "mixed-data.csv"), colClasses = c(dataset = "character"))
models <- read.csv(file.path(fixtures, "mixed-models.csv"), colClasses = "character")

num <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")
arr <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
str <- function(x) paste0("\"", gsub("\"", "\\\\\"", x), "\"")

# Three ways to run lme (EM first or not, nlminb or optim); see the header for why.
controls <- list(
  em = lmeControl(maxIter = 1000, msMaxIter = 1000, msMaxEval = 10000, niterEM = 100, tolerance = 1e-13,
                  msTol = 1e-15, rel.tol = 1e-15, x.tol = 1e-15, returnObject = TRUE),
  noEm = lmeControl(maxIter = 1000, msMaxIter = 1000, msMaxEval = 10000, niterEM = 0, tolerance = 1e-13,
                    msTol = 1e-15, rel.tol = 1e-15, x.tol = 1e-15, returnObject = TRUE),
  optim = lmeControl(maxIter = 1000, msMaxIter = 1000, msMaxEval = 10000, opt = "optim", reltol = 1e-15,
                     tolerance = 1e-13, returnObject = TRUE))

quiet <- function(expr) withCallingHandlers(expr, warning = function(w) invokeRestart("muffleWarning"))

# The same marginal model as gls with compound symmetry, rho = sigma2_u / (sigma2_u + sigma2_e),
# held fixed: nlme's own likelihood at a given variance ratio.
gls_at <- function(formula, frame, rho, method) {
  quiet(gls(formula, data = frame, method = method,
            correlation = corCompSymm(value = rho, form = ~ 1 | school, fixed = TRUE)))
}

# Newton steps on rho with central differences of nlme's profile log-likelihood (step 1e-5 rho:
# rounding noise in the differences moves rho by ~1e-11, far below the tolerance we check).
polish <- function(formula, frame, rho, method) {
  for (step in 1:8) {
    h <- 1e-5 * rho
    l0 <- as.numeric(logLik(gls_at(formula, frame, rho, method)))
    lp <- as.numeric(logLik(gls_at(formula, frame, rho + h, method)))
    lm <- as.numeric(logLik(gls_at(formula, frame, rho - h, method)))
    d1 <- (lp - lm) / (2 * h)
    d2 <- (lp - 2 * l0 + lm) / h^2
    if (!(d2 < 0)) break
    move <- -d1 / d2
    rho <- rho + move
    if (abs(move) < 1e-13 * rho) break
  }
  rho
}

fit_one <- function(frame, columns, method) {
  rhs <- if (length(columns) == 0) "1" else paste(columns, collapse = " + ")
  formula <- as.formula(paste("y ~", rhs))
  fits <- lapply(controls, function(control) {
    quiet(lme(formula, random = ~ 1 | school, data = frame, method = method, control = control))
  })
  best <- which.max(sapply(fits, function(f) as.numeric(logLik(f))))
  model <- fits[[best]]
  sigma2 <- model$sigma^2
  between <- as.numeric(pdMatrix(model$modelStruct$reStruct)[[1]][1, 1]) * sigma2
  beta <- as.numeric(fixef(model))
  vc <- vcov(model)
  lmeRatio <- between / sigma2
  lmeLogLik <- as.numeric(logLik(model))
  source <- paste0("lme (", names(controls)[best], ")")
  if (lmeRatio > 1e-6) {
    rho <- polish(formula, frame, lmeRatio / (1 + lmeRatio), method)
    g <- gls_at(formula, frame, rho, method)
    if (as.numeric(logLik(g)) >= lmeLogLik) {
      total <- g$sigma^2
      sigma2 <- (1 - rho) * total
      between <- rho * total
      beta <- as.numeric(coef(g))
      # gls scales ML covariances by N/(N - p) (it uses the unbiased sigma2 there); lme does not.
      vc <- vcov(g) * if (method == "ML") (nrow(frame) - length(beta)) / nrow(frame) else 1
      source <- paste0(source, ", polished by gls(corCompSymm)")
    }
  }
  se <- sqrt(diag(vc))
  k <- length(beta)
  wald <- if (k > 1) {
    slopes <- 2:k
    chi2 <- as.numeric(t(beta[slopes]) %*% solve(vc[slopes, slopes, drop = FALSE], beta[slopes]))
    paste0("{\"indices\": [", paste(slopes - 1, collapse = ", "), "], \"chi2\": ", num(chi2),
           ", \"df\": ", k - 1, ", \"pvalue\": ", num(pchisq(chi2, k - 1, lower.tail = FALSE)), "}")
  } else "null"
  paste0("{",
         "\"source\": ", str(source), ", ",
         "\"lmeRatio\": ", num(lmeRatio), ", ",
         "\"lmeLogLik\": ", num(lmeLogLik), ", ",
         "\"params\": ", arr(beta), ", ",
         "\"bse\": ", arr(se), ", ",
         "\"zvalues\": ", arr(beta / se), ", ",
         "\"cov\": ", arr(as.numeric(vc)), ", ",
         "\"sigma2Within\": ", num(sigma2), ", ",
         "\"sigma2Between\": ", num(between), ", ",
         "\"ratio\": ", num(between / sigma2), ", ",
         "\"wald\": ", wald, ", ",
         "\"logLik\": ", num(if (grepl("gls", source)) as.numeric(logLik(g)) else lmeLogLik), "}")
}

cases <- character(0)
for (i in seq_len(nrow(models))) {
  m <- models[i, ]
  columns <- if (nchar(m$columns) == 0) character(0) else strsplit(m$columns, " ", fixed = TRUE)[[1]]
  frame <- data[data$dataset == m$dataset, c("school", "y", columns), drop = FALSE]
  frame$school <- factor(frame$school)
  reml <- fit_one(frame, columns, "REML")
  ml <- fit_one(frame, columns, "ML")
  cases <- c(cases, paste0("  {\"name\": ", str(m$name), ", \"n\": ", nrow(frame),
                           ", \"groups\": ", nlevels(frame$school),
                           ",\n   \"reml\": ", reml, ",\n   \"ml\": ", ml, "}"))
  cat(m$name, "\n")
}

json <- paste0("{\"generator\": \"test/reference/mixed_reference.R\",\n",
               " \"versions\": {\"R\": ", str(paste(R.version$major, R.version$minor, sep = ".")),
               ", \"nlme\": ", str(as.character(packageVersion("nlme"))), "},\n",
               " \"note\": ", str(paste(
                 "nlme::lme(y ~ columns, random = ~1|school), tight lmeControl; bse/cov = vcov(),",
                 "i.e. sigma2 (X'V^-1X)^-1 at the estimates; cov column-major;",
                 "logLik (same scale as statsmodels); wald = joint Wald chi2 that all slopes are 0 on vcov(); source = which lme run was kept and whether gls polished it")), ",\n",
               " \"cases\": [\n", paste(cases, collapse = ",\n"), "\n]}\n")
writeLines(json, file.path(fixtures, "r-mixed.json"), sep = "")
